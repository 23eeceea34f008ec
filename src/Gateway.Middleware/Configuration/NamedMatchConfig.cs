namespace Gateway.Middleware.Configuration;

/// <summary>A header or query parameter condition; <see cref="Match"/> <see langword="null"/> means "present".</summary>
internal sealed record NamedMatchConfig(string Name, StringMatchConfig? Match);
