using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's access log to the request pipeline.</summary>
public static class GatewayAccessLogApplicationBuilderExtensions
{
    /// <summary>
    /// Logs one entry per request, when it completes, in the format of <see cref="GatewayAccessLogOptions"/> (from
    /// <c>services.Configure&lt;GatewayAccessLogOptions&gt;</c>; default Envoy's default format:
    /// <c>[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
    /// %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
    /// "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"</c>, empty values as <c>-</c>).
    /// The path is the one the client sent (before rewrites), with the values of token-like query parameters
    /// replaced; <c>Authorization</c>, cookies and token-like headers print <c>REDACTED</c> when a format names them.
    /// </summary>
    /// <remarks>
    /// Entries go to the logger category <c>Gateway.Middleware.AccessLog</c> at <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>
    /// (event id 600): with the default format each field is a structured property; with a custom or JSON format the
    /// entry is the <c>AccessLog</c> property. When that level is disabled the middleware adds no work.
    /// Response flags are a subset of Envoy's: <c>NR</c> (no route, 404), <c>NC</c> (unresolvable backend),
    /// <c>UH</c> (no healthy upstream), <c>UF</c> (connect or TLS failure), <c>UO</c> (circuit breaker overflow),
    /// <c>UT</c> (route timeout), <c>URX</c> (retry limit exceeded, e.g. <c>UF,URX</c>), <c>UC</c>/<c>UR</c>
    /// (upstream connection termination / remote reset), <c>DC</c> (client went away), <c>DPE</c> (bad request body),
    /// <c>FI</c> (fault abort). Place it before <c>UseGateway()</c> so it sees every request the gateway answers.
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="ArgumentException">The configured format has an unsupported operator or is not valid JSON.</exception>
    public static IApplicationBuilder UseGatewayAccessLog(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetService<IOptions<GatewayAccessLogOptions>>()?.Value ?? new GatewayAccessLogOptions();
        return Use(app, options);
    }

    /// <summary>Logs one entry per request in the format <paramref name="configure"/> sets (see <see cref="UseGatewayAccessLog(IApplicationBuilder)"/>).</summary>
    /// <param name="app">The application builder.</param>
    /// <param name="configure">Sets the format and encoding, starting from the registered options.</param>
    /// <returns>The application builder.</returns>
    /// <exception cref="ArgumentException">The format has an unsupported operator or is not valid JSON.</exception>
    public static IApplicationBuilder UseGatewayAccessLog(this IApplicationBuilder app, Action<GatewayAccessLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        var registered = app.ApplicationServices.GetService<IOptions<GatewayAccessLogOptions>>()?.Value;
        var options = new GatewayAccessLogOptions { Format = registered?.Format, Encoding = registered?.Encoding ?? GatewayAccessLogEncoding.Text };
        configure(options);
        return Use(app, options);
    }

    private static IApplicationBuilder Use(IApplicationBuilder app, GatewayAccessLogOptions options)
    {
        var format = AccessLogFormat.Compile(options);
        var timeProvider = app.ApplicationServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return app.UseMiddleware<AccessLogMiddleware>(timeProvider, format);
    }
}
