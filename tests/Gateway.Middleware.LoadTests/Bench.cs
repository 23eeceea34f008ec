namespace Gateway.Middleware.LoadTests;

/// <summary>What every proxy matches on, and the JWT every JWT variant requires.</summary>
internal static class Bench
{
    /// <summary>The host of the HTTP/1.1 route (sent as <c>Host</c>).</summary>
    public const string Host = "bench.example.com";

    /// <summary>The host of the HTTP/2 route (sent as <c>:authority</c>), forwarded to the upstream over h2c.</summary>
    public const string H2Host = "h2.bench.example.com";

    /// <summary>The header every route also requires, with value <see cref="HeaderValue"/>.</summary>
    public const string Header = "x-bench";

    /// <summary>The value of <see cref="Header"/>.</summary>
    public const string HeaderValue = "yes";

    /// <summary>The token's <c>iss</c>.</summary>
    public const string Issuer = "https://issuer.bench.example.com";

    /// <summary>The token's <c>aud</c>.</summary>
    public const string Audience = "bench";
}
