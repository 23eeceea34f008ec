using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Attribute names of the gateway's spans (OpenTelemetry HTTP semantic conventions, plus <c>gateway.*</c>) and
/// cached values, so a recorded span allocates no boxed status codes or method strings.
/// </summary>
internal static class GatewayTracingTags
{
    // OpenTelemetry semantic conventions (HTTP spans, stable).
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpRequestMethodOriginal = "http.request.method_original";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string HttpRequestResendCount = "http.request.resend_count";
    public const string UrlFull = "url.full";
    public const string UrlPath = "url.path";
    public const string UrlScheme = "url.scheme";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ClientAddress = "client.address";
    public const string NetworkProtocolVersion = "network.protocol.version";
    public const string ErrorType = "error.type";

    // The gateway's own.
    public const string Route = "gateway.route";
    public const string Destination = "gateway.destination";
    public const string Subset = "gateway.subset";
    public const string Server = "gateway.server";
    public const string ResponseFlags = "gateway.response_flags";
    public const string UpstreamCluster = "gateway.upstream_cluster";
    public const string Mirror = "gateway.mirror";

    /// <summary>The span name for a method outside the semantic conventions' list.</summary>
    public const string OtherMethodSpanName = "HTTP";

    /// <summary>The <c>http.request.method</c> value for a method outside the list.</summary>
    public const string OtherMethod = "_OTHER";

    public static readonly object True = true;

    private const int StatusCacheSize = 600;
    private static readonly object[] BoxedStatus = CreateBoxed(StatusCacheSize);
    private static readonly string?[] StatusText = new string?[StatusCacheSize];

    /// <summary>The semantic conventions' name of a known method (same instance for ASP.NET Core's interned methods), else null.</summary>
    public static string? KnownMethod(string method)
        => HttpMethods.IsGet(method) ? HttpMethods.Get
            : HttpMethods.IsPost(method) ? HttpMethods.Post
            : HttpMethods.IsPut(method) ? HttpMethods.Put
            : HttpMethods.IsDelete(method) ? HttpMethods.Delete
            : HttpMethods.IsHead(method) ? HttpMethods.Head
            : HttpMethods.IsOptions(method) ? HttpMethods.Options
            : HttpMethods.IsPatch(method) ? HttpMethods.Patch
            : HttpMethods.IsConnect(method) ? HttpMethods.Connect
            : HttpMethods.IsTrace(method) ? HttpMethods.Trace
            : null;

    /// <summary>A boxed status code, port or count; cached below 600.</summary>
    public static object Boxed(int value) => (uint)value < StatusCacheSize ? BoxedStatus[value] : value;

    /// <summary>The status code as text, for <c>error.type</c> (semantic conventions: the status code when nothing better is known).</summary>
    public static string StatusCodeText(int status)
        => (uint)status < StatusCacheSize
            ? StatusText[status] ??= status.ToString(CultureInfo.InvariantCulture)
            : status.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>network.protocol.version</c> from ASP.NET Core's protocol string (<c>HTTP/1.1</c> → <c>1.1</c>).</summary>
    public static string? ProtocolVersion(string protocol)
        => HttpProtocol.IsHttp11(protocol) ? "1.1"
            : HttpProtocol.IsHttp2(protocol) ? "2"
            : HttpProtocol.IsHttp3(protocol) ? "3"
            : HttpProtocol.IsHttp10(protocol) ? "1.0"
            : null;

    /// <summary><c>network.protocol.version</c> from an upstream response's version.</summary>
    public static string ProtocolVersion(Version version) => (version.Major, version.Minor) switch
    {
        (1, 1) => "1.1",
        (2, 0) => "2",
        (3, 0) => "3",
        (1, 0) => "1.0",
        _ => version.ToString(),
    };

    private static object[] CreateBoxed(int size)
    {
        var boxed = new object[size];
        for (var i = 0; i < size; i++)
        {
            boxed[i] = i;
        }

        return boxed;
    }
}
