namespace Gateway.Middleware.FunctionalTests.Diagnostics;

/// <summary>One recorded measurement with its attributes.</summary>
public sealed record MetricPoint(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? this[string tag] => Tags.TryGetValue(tag, out var value) ? value : null;

    public bool Has(string tag) => Tags.ContainsKey(tag);

    public override string ToString() => $"{Instrument}={Value} {{{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}}}";
}
