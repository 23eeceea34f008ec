namespace Gateway.Middleware.Configuration;

/// <summary>A DestinationRule subset: the endpoints whose labels include all of <see cref="Labels"/>.</summary>
internal sealed record SubsetConfig(string Name, IReadOnlyDictionary<string, string> Labels);
