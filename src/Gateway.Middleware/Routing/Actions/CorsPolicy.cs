using System.Globalization;
using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// A compiled CORS policy (Istio <c>CorsPolicy</c>, applied with Envoy's <c>envoy.filters.http.cors</c>
/// semantics by <see cref="Cors.CorsHandler"/>). Every header value is built here, once: lists are joined
/// with <c>","</c> and <c>maxAge</c> becomes whole seconds, as Istio's <c>TranslateCORSPolicy</c> does.
/// </summary>
internal sealed class CorsPolicy
{
    private readonly StringMatcher[] _origins;

    /// <exception cref="ArgumentException">An origin regex is invalid (validation reports it first).</exception>
    public CorsPolicy(CorsConfig config)
    {
        Config = config;
        _origins = new StringMatcher[config.AllowOrigins.Count];
        for (var i = 0; i < _origins.Length; i++)
        {
            _origins[i] = StringMatcher.Create(config.AllowOrigins[i]);

            // Envoy allows every origin when a matcher accepts the literal "*" (CorsFilter::isOriginAllowed):
            // exact "*" (Istio's way to say "any"), but also prefix "" or regex ".*".
            AllowsAnyOrigin |= _origins[i].Matches("*");
        }

        AllowMethods = Join(config.AllowMethods);
        AllowHeaders = Join(config.AllowHeaders);
        ExposeHeaders = Join(config.ExposeHeaders);

        // Envoy treats exactly "*" as "echo what the preflight asked for".
        EchoRequestMethod = AllowMethods == "*";
        EchoRequestHeaders = AllowHeaders == "*";

        // Istio: strconv.FormatInt(maxAge.GetSeconds(), 10), i.e. truncated to whole seconds.
        MaxAge = config.MaxAge is { } maxAge
            ? ((long)maxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)
            : null;
        AllowCredentials = config.AllowCredentials;
    }

    public CorsConfig Config { get; }

    /// <summary>
    /// Whether a preflight from an origin that is not allowed goes upstream (Istio <c>unmatchedPreflights</c>:
    /// <c>FORWARD</c>, the default) or is answered 200 without <c>Access-Control-Allow-Origin</c> (<c>IGNORE</c>).
    /// </summary>
    public bool ForwardUnmatchedPreflights { get; init; } = true;

    public bool AllowsAnyOrigin { get; }

    /// <summary><c>Access-Control-Allow-Methods</c> for preflights; null when none is configured.</summary>
    public string? AllowMethods { get; }

    /// <summary><c>Access-Control-Allow-Headers</c> for preflights; null when none is configured.</summary>
    public string? AllowHeaders { get; }

    /// <summary><c>Access-Control-Expose-Headers</c> for actual responses; null when none is configured.</summary>
    public string? ExposeHeaders { get; }

    /// <summary><c>Access-Control-Max-Age</c> in seconds; null when not configured.</summary>
    public string? MaxAge { get; }

    public bool AllowCredentials { get; }

    public bool EchoRequestMethod { get; }

    public bool EchoRequestHeaders { get; }

    /// <summary>
    /// Exact (case-sensitive), prefix or regex (whole value) against the serialized origin, as Envoy's string
    /// matchers do; an empty origin is never allowed (Envoy skips the request).
    /// </summary>
    public bool IsOriginAllowed(ReadOnlySpan<char> origin)
    {
        if (origin.IsEmpty)
        {
            return false;
        }

        if (AllowsAnyOrigin)
        {
            return true;
        }

        foreach (var matcher in _origins)
        {
            if (matcher.Matches(origin))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(',', values);
}
