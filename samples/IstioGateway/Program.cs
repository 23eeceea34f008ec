namespace IstioGateway;

/// <summary>
/// <c>dotnet run --project samples/IstioGateway -- --config &lt;file-or-folder&gt; [--address 0.0.0.0] [--status-port 15021]</c>:
/// the Istio ingress gateway rebuilt on Gateway.Middleware, driven by the YAML you apply to Istio.
/// </summary>
public static class Program
{
    /// <summary>Runs the host until Ctrl+C or SIGTERM. Exit codes: 0 stopped, 1 invalid configuration or cannot listen, 2 bad arguments.</summary>
    public static Task<int> Main(string[] args) => IstioGatewayHost.RunAsync(args, Console.Out, Console.Error);
}
