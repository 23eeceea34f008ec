using Gateway.Middleware.Configuration;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// Istio RequestAuthentication at the ingress: a request without a token passes (principal null; authorization
/// decides); a token that is present must be valid, else 401 (403 for a disallowed audience) with Envoy's body
/// and <c>WWW-Authenticate</c>. On success the principal is published on the gateway feature, the token is
/// removed before forwarding unless <c>forwardOriginalToken</c>, and claim headers are written. Claim header
/// names are removed from every request first, so a client can never supply them.
/// </summary>
internal sealed class JwtAuthenticationMiddleware
{
    private readonly RequestDelegate _next;
    private readonly GatewayConfigProvider _config;
    private readonly JwksProvider _jwks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Diagnostics.GatewayMetrics? _metrics;

    public JwtAuthenticationMiddleware(RequestDelegate next, GatewayConfigProvider config, IServiceProvider services, TimeProvider timeProvider, ILogger<JwtAuthenticationMiddleware> logger)
    {
        _next = next;
        _metrics = services.GetService<Diagnostics.GatewayMetrics>();
        _config = config;
        _timeProvider = timeProvider;
        _logger = logger;

        // Registered by AddGateway, whose hosted service fetches every JWKS before the server starts. Without it
        // (the stage used without AddGateway's services) the fetches start here, as the pipeline is built; a
        // request arriving before one completes waits for it (bounded by the rule's timeout).
        if (services.GetService<JwksProvider>() is { } registered)
        {
            _jwks = registered;
        }
        else
        {
            _jwks = CreateOwnJwksProvider(services, timeProvider);
            foreach (var rule in JwtRuleSet.For(config.Current)?.GetAuthenticator(_jwks, timeProvider).Rules ?? [])
            {
                _ = rule.Remote?.FetchAsync();
            }
        }
    }

    // Disposed with the application (its refresh timers stop), as the registered one is by the container.
    private static JwksProvider CreateOwnJwksProvider(IServiceProvider services, TimeProvider timeProvider)
    {
        var jwks = new JwksProvider(timeProvider, services.GetService<ILoggerFactory>());
        services.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>()?.ApplicationStopped.Register(jwks.Dispose);
        return jwks;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayFeature.GetOrCreate(context, _config);
        if (JwtRuleSet.For(feature.Snapshot) is not { } rules)
        {
            return _next(context);
        }

        var authenticator = rules.GetAuthenticator(_jwks, _timeProvider);
        var headers = context.Request.Headers;
        foreach (var name in authenticator.OutputHeaders)
        {
            headers.Remove(name);
        }

        var found = JwtTokenExtractor.Find(context.Request, authenticator.Locations, out var value, out var offset, out var location);
        if (found == JwtTokenExtractor.Outcome.None)
        {
            _metrics?.JwtMissing();
            return _next(context);
        }

        if (found == JwtTokenExtractor.Outcome.Multiple)
        {
            return RejectAsync(context, JwtStatus.MultipleTokens);
        }

        var token = value.AsSpan(offset).Trim();
        if (authenticator.TryGetCached(token, out var cached) && cached.Rule!.Locations.Contains(location!))
        {
            _metrics?.JwtValidated(JwtStatus.Ok);
            Accept(context, feature, cached, location!);
            return _next(context);
        }

        return ValidateAsync(context, feature, authenticator, token.ToString(), location!);
    }

    private async Task ValidateAsync(HttpContext context, GatewayFeature feature, JwtAuthenticator authenticator, string token, JwtTokenLocation location)
    {
        var result = await authenticator.ValidateAsync(token, location).ConfigureAwait(false);
        if (result.Status != JwtStatus.Ok)
        {
            await RejectAsync(context, result.Status).ConfigureAwait(false);
            return;
        }

        _metrics?.JwtValidated(JwtStatus.Ok);
        Accept(context, feature, result, location);
        await _next(context).ConfigureAwait(false);
    }

    private static void Accept(HttpContext context, GatewayFeature feature, in JwtResult result, JwtTokenLocation location)
    {
        var rule = result.Rule!;
        feature.Principal = result.Principal;
        var headers = context.Request.Headers;
        if (!rule.Config.ForwardOriginalToken)
        {
            JwtTokenExtractor.Remove(context.Request, location);
        }

        if (rule.Config.OutputPayloadToHeader is { Length: > 0 } payloadHeader)
        {
            // Envoy forwards the payload segment as it is: base64url of the payload JSON.
            headers[payloadHeader] = result.Payload;
        }

        foreach (var (header, path) in rule.ClaimHeaders)
        {
            if (JwtClaims.TryFormat(result.Principal!.Claims, path, out var claim))
            {
                headers[header] = claim;
            }
        }
    }

    private Task RejectAsync(HttpContext context, JwtStatus status)
    {
        JwtLog.Rejected(_logger, status);
        _metrics?.JwtValidated(status);
        var request = context.Request;

        // Envoy's jwt_authn: realm is the original URI without the query (RFC 6750 §3).
        context.Response.Headers[HeaderNames.WWWAuthenticate] =
            $"Bearer realm=\"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent()}\", error=\"invalid_token\"";
        return LocalReply.WriteAsync(context, JwtStatusText.StatusCode(status), JwtStatusText.For(status));
    }
}
