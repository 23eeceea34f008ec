namespace Gateway.Middleware.HardeningTests.Smuggling;

/// <summary>One request as an upstream parsed it off its socket.</summary>
internal sealed record SeenRequest(string Method, string Target, Dictionary<string, string> Headers, string Body);
