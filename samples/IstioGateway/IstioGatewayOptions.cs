using System.Globalization;
using System.Net;

namespace IstioGateway;

/// <summary>The host's command line.</summary>
public sealed record IstioGatewayOptions
{
    /// <summary>The Istio status port (Envoy's <c>/healthz/ready</c> listener).</summary>
    public const int DefaultStatusPort = 15021;

    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        Usage: IstioGateway --config <file-or-folder> [--address 0.0.0.0] [--status-port 15021] [--secrets <dir>]

          --config       an Istio / Gateway API YAML file, or a folder of *.yaml/*.yml files; watched for changes
          --address      the IP address to listen on (default 0.0.0.0)
          --status-port  the port serving /healthz/ready and /healthz/live (default 15021; 0 picks a free one)
          --secrets      the folder credentialName / certificateRefs resolve in: <dir>/<namespace>/<name>/tls.crt, tls.key, ca.crt

        The gateway listens on every port the config's Gateway servers / listeners name.
        """;

    /// <summary>The YAML file or folder (<c>--config</c>).</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The address every port listens on (<c>--address</c>, default <c>0.0.0.0</c>).</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>The port of <c>/healthz/ready</c> and <c>/healthz/live</c> (<c>--status-port</c>, default 15021; 0: any free port).</summary>
    public int StatusPort { get; init; } = DefaultStatusPort;

    /// <summary>
    /// The folder Istio <c>credentialName</c> and Gateway API <c>certificateRefs</c> resolve in (<c>--secrets</c>),
    /// laid out like mounted Kubernetes secrets; null: secret references are configuration errors.
    /// </summary>
    public string? SecretsPath { get; init; }

    /// <summary>
    /// Parses <c>--name value</c> and <c>--name=value</c>. Returns false with the reason when an argument is
    /// unknown, a value is missing or invalid, or <c>--config</c> is absent.
    /// </summary>
    public static bool TryParse(IReadOnlyList<string> args, out IstioGatewayOptions? options, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = null;
        string? config = null;
        var address = IPAddress.Any;
        var statusPort = DefaultStatusPort;
        string? secrets = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            string? value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                value = null;
            }

            if (name is not ("--config" or "--address" or "--status-port" or "--secrets"))
            {
                error = $"unknown argument '{arg}'";
                return false;
            }

            if (string.IsNullOrEmpty(value))
            {
                error = $"{name} needs a value";
                return false;
            }

            switch (name)
            {
                case "--config":
                    config = value;
                    break;
                case "--secrets":
                    secrets = value;
                    break;
                case "--address" when !TryParseAddress(value, out address):
                    error = $"--address '{value}' is not an IP address";
                    return false;
                case "--status-port" when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out statusPort) || statusPort > 65535:
                    error = $"--status-port '{value}' is not a port number (0-65535)";
                    return false;
            }
        }

        if (config is null)
        {
            error = "--config is required";
            return false;
        }

        options = new IstioGatewayOptions { ConfigPath = config, Address = address, StatusPort = statusPort, SecretsPath = secrets };
        error = null;
        return true;
    }

    private static bool TryParseAddress(string value, out IPAddress address)
    {
        if (string.Equals(value, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        return IPAddress.TryParse(value, out address!);
    }
}
