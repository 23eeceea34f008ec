using System.Globalization;
using Gateway.Middleware.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Middleware.Forwarding;

/// <summary>Writes <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and <c>x-request-id</c> on the upstream request.</summary>
internal static class ForwardedHeaders
{
    public const string XForwardedFor = "X-Forwarded-For";
    public const string XForwardedProto = "X-Forwarded-Proto";
    public const string XForwardedHost = "X-Forwarded-Host";
    public const string XRequestId = "x-request-id";
    public const string Forwarded = "Forwarded";
    public const string XForwardedPort = "X-Forwarded-Port";
    public const string XForwardedPrefix = "X-Forwarded-Prefix";

    /// <summary>
    /// Whether the header is one this class owns (never copied verbatim from the client). With no trusted proxy
    /// in front, <c>Forwarded</c> (RFC 7239), <c>X-Forwarded-Port</c> and <c>X-Forwarded-Prefix</c> are dropped too:
    /// the gateway does not write them, and an application behind it that trusts the gateway's forwarded headers
    /// (ASP.NET Core's ForwardedHeadersMiddleware reads X-Forwarded-Prefix) would otherwise take a client's word.
    /// </summary>
    public static bool IsOwned(string name, int trustedProxyHops)
        => name.Length >= 9
            && (string.Equals(name, XForwardedFor, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, XForwardedProto, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, XForwardedHost, StringComparison.OrdinalIgnoreCase)
                || string.Equals(name, XRequestId, StringComparison.OrdinalIgnoreCase)
                || (trustedProxyHops == 0
                    && (string.Equals(name, Forwarded, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(name, XForwardedPort, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(name, XForwardedPrefix, StringComparison.OrdinalIgnoreCase))));

    public static void Apply(HttpContext context, GatewayFeature? feature, HttpRequestMessage message, GatewayForwardingOptions options)
    {
        var request = context.Request;
        var headers = request.Headers;
        var hops = options.TrustedProxyHops;
        var peer = PeerAddress.RemoteText(context);

        var xff = hops > 0 ? TrustedTail(headers[XForwardedFor], hops) : null;
        if (peer is not null)
        {
            xff = string.IsNullOrEmpty(xff) ? peer : xff + ", " + peer;
        }

        if (!string.IsNullOrEmpty(xff))
        {
            message.Headers.TryAddWithoutValidation(XForwardedFor, xff);
        }

        var proto = hops > 0 ? LastValue(headers[XForwardedProto]) : null;
        message.Headers.TryAddWithoutValidation(XForwardedProto, string.IsNullOrEmpty(proto) ? request.Scheme : proto);

        var host = hops > 0 ? LastValue(headers[XForwardedHost]) : null;
        if (string.IsNullOrEmpty(host))
        {
            host = request.Host.Value;
        }

        if (!string.IsNullOrEmpty(host))
        {
            message.Headers.TryAddWithoutValidation(XForwardedHost, host);
        }

        var requestId = headers[XRequestId];
        if (feature is not { RequestIdAssigned: true })
        {
            if (feature is not null)
            {
                feature.RequestIdAssigned = true;
            }

            // An edge Envoy (use_remote_address, preserve_external_request_id: false, Istio's ingress) replaces
            // the id of an external request: a client must not pick the id that correlates logs and traces
            // behind the gateway. Assigned once per client request, so every retry, every mirror copy and the
            // access log carry the same id.
            if (options.GenerateRequestId && (!options.PreserveExternalRequestId || StringValues.IsNullOrEmpty(requestId)))
            {
                requestId = Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);
                headers[XRequestId] = requestId;
            }
        }

        if (!StringValues.IsNullOrEmpty(requestId))
        {
            message.Headers.TryAddWithoutValidation(XRequestId, requestId.ToString());
        }
    }

    /// <summary>The last <paramref name="count"/> comma-separated entries across all values of the header.</summary>
    internal static string? TrustedTail(StringValues values, int count)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        var joined = values.Count == 1 ? values[0]! : string.Join(',', values.ToArray());
        var span = joined.AsSpan();
        var end = span.Length;
        var kept = 0;
        for (var i = span.Length - 1; i >= 0; i--)
        {
            if (span[i] == ',' && ++kept == count)
            {
                return Normalize(span[(i + 1)..end]);
            }
        }

        return Normalize(span);
    }

    private static string Normalize(ReadOnlySpan<char> entries)
    {
        // Rebuild as "a, b, c" so entries are trimmed and empty ones dropped.
        var builder = new System.Text.StringBuilder(entries.Length);
        foreach (var range in entries.Split(','))
        {
            var entry = entries[range].Trim();
            if (entry.IsEmpty)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(entry);
        }

        return builder.ToString();
    }

    private static string? LastValue(StringValues values)
    {
        if (StringValues.IsNullOrEmpty(values))
        {
            return null;
        }

        var last = values[values.Count - 1]!;
        var comma = last.LastIndexOf(',');
        return (comma < 0 ? last : last[(comma + 1)..]).Trim();
    }
}
