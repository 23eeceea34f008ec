namespace Gateway.Middleware.Configuration;

/// <summary>
/// Holds the current <see cref="GatewaySnapshot"/>. A new configuration is compiled beside the old one and
/// swapped in with one reference write; a configuration that fails to compile never replaces a good one.
/// </summary>
internal sealed class GatewayConfigProvider : IDisposable
{
    private volatile GatewaySnapshot _current;

    public GatewayConfigProvider(GatewayConfig initial)
    {
        _current = GatewayConfigCompiler.Compile(initial);
    }

    public GatewaySnapshot Current => _current;

    /// <summary>Compiles and swaps in <paramref name="config"/>; throws and keeps the current one if it is invalid.</summary>
    public void Update(GatewayConfig config)
    {
        var next = GatewayConfigCompiler.Compile(config);
        // Requests already running keep the old snapshot; its pooled connections are left to drain and
        // close on their idle timeout rather than being cut under in-flight requests.
        _current = next;
    }

    public void Dispose() => _current.Dispose();
}
