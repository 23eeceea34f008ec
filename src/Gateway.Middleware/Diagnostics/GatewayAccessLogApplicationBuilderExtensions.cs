using Gateway.Middleware.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the gateway's access log to the request pipeline.</summary>
public static class GatewayAccessLogApplicationBuilderExtensions
{
    /// <summary>
    /// Logs one line per request, when it completes, in Envoy's default access-log format:
    /// <c>[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS%
    /// %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
    /// "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"</c>, empty values as <c>-</c>.
    /// The path is the one the client sent (before rewrites), with the values of token-like query parameters
    /// replaced; tokens, <c>Authorization</c> and cookies are never logged.
    /// </summary>
    /// <remarks>
    /// Lines go to the logger category <c>Gateway.Middleware.AccessLog</c> at <see cref="Microsoft.Extensions.Logging.LogLevel.Information"/>
    /// (event id 600) with each field as a structured property; when that level is disabled the middleware adds no work.
    /// Response flags are a best-effort subset of Envoy's: <c>NR</c> (no route, 404), <c>NC</c> (unresolvable backend),
    /// <c>UH</c> (no healthy upstream), <c>UF</c> (connect or TLS failure), <c>UT</c> (route timeout), <c>UC</c>/<c>UR</c>
    /// (upstream connection termination / remote reset), <c>DC</c> (client went away), <c>DPE</c> (bad request body),
    /// <c>FI</c> (fault abort). Place it before <c>UseGateway()</c> so it sees every request the gateway answers.
    /// </remarks>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder.</returns>
    public static IApplicationBuilder UseGatewayAccessLog(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var timeProvider = app.ApplicationServices.GetService<TimeProvider>() ?? TimeProvider.System;
        return app.UseMiddleware<AccessLogMiddleware>(timeProvider);
    }
}
