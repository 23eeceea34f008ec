using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>Compiled header operations (Istio <c>HeaderOperations</c>).</summary>
internal sealed class HeaderOperations
{
    public HeaderOperations(HeaderOperationsConfig config)
    {
        Set = [.. config.Set];
        Add = [.. config.Add];
        Remove = [.. config.Remove];
    }

    public KeyValuePair<string, string>[] Set { get; }

    public KeyValuePair<string, string>[] Add { get; }

    public string[] Remove { get; }
}
