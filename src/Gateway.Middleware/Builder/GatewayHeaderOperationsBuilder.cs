using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Builder;

/// <summary>Istio <c>HeaderOperations</c>: set, add and remove.</summary>
public sealed class GatewayHeaderOperationsBuilder
{
    private readonly List<KeyValuePair<string, string>> _set = [];
    private readonly List<KeyValuePair<string, string>> _add = [];
    private readonly List<string> _remove = [];

    internal GatewayHeaderOperationsBuilder()
    {
    }

    /// <summary>Sets the header, replacing any value it had.</summary>
    public GatewayHeaderOperationsBuilder Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _set.Add(new(name, value));
        return this;
    }

    /// <summary>Appends a value to the header (comma-joined with any existing value), creating it if absent.</summary>
    public GatewayHeaderOperationsBuilder Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _add.Add(new(name, value));
        return this;
    }

    /// <summary>Removes the header.</summary>
    public GatewayHeaderOperationsBuilder Remove(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        _remove.Add(name);
        return this;
    }

    internal HeaderOperationsConfig Build() => new() { Set = [.. _set], Add = [.. _add], Remove = [.. _remove] };
}
