using System.Globalization;
using Gateway.Middleware.Features;
using Gateway.Middleware.Forwarding;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Middleware.Diagnostics;

/// <summary>One finished request as the format's operators read it; "-" for every value that is absent.</summary>
internal readonly struct AccessLogRecord
{
    public const string Empty = "-";
    private const string Redacted = "REDACTED";

    private readonly HttpContext _context;
    private readonly GatewayFeature? _feature;
    private readonly DateTimeOffset _start;
    private readonly TimeSpan _duration;
    private readonly AccessLogBodyCounter? _counter;
    private readonly int _trustedHops;

    public AccessLogRecord(HttpContext context, GatewayFeature? feature, int status, DateTimeOffset start, TimeSpan duration, AccessLogBodyCounter? counter, int trustedHops)
    {
        _context = context;
        _feature = feature;
        Status = status;
        _start = start;
        _duration = duration;
        _counter = counter;
        _trustedHops = trustedHops;
    }

    public int Status { get; }

    public string Value(AccessLogSegment segment)
    {
        var value = segment.Kind switch
        {
            AccessLogOperatorKind.StartTime => StartTime,
            AccessLogOperatorKind.RequestHeader => RequestHeader(segment.Text) is { Length: > 0 } v ? v : segment.Alternative is { } alt ? RequestHeader(alt) : null,
            AccessLogOperatorKind.ResponseHeader => ResponseHeader(segment.Text) is { Length: > 0 } r ? r : segment.Alternative is { } alt2 ? ResponseHeader(alt2) : null,
            AccessLogOperatorKind.Protocol => _context.Request.Protocol,
            AccessLogOperatorKind.ResponseCode => Status.ToString(CultureInfo.InvariantCulture),
            AccessLogOperatorKind.ResponseFlags => AccessLogResponseFlags.For(_context, _feature, Status),
            AccessLogOperatorKind.ResponseCodeDetails => AccessLogResponseCodeDetails.For(_context, _feature, Status),
            AccessLogOperatorKind.UpstreamTransportFailureReason => _feature is { Error: GatewayForwarderError.TlsFailure, Exception: { } tls } ? tls.GetBaseException().Message : null,
            AccessLogOperatorKind.BytesReceived => (_counter?.Received ?? 0).ToString(CultureInfo.InvariantCulture),
            AccessLogOperatorKind.BytesSent => (_counter?.Sent ?? 0).ToString(CultureInfo.InvariantCulture),
            AccessLogOperatorKind.Duration => ((long)_duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            AccessLogOperatorKind.UpstreamHost => UpstreamHost,
            AccessLogOperatorKind.UpstreamCluster => _feature?.Cluster?.Name,
            AccessLogOperatorKind.DownstreamLocalAddress => Address(_context.Connection.LocalIpAddress, _context.Connection.LocalPort),
            AccessLogOperatorKind.DownstreamRemoteAddress => Address(_context.Connection.RemoteIpAddress, _context.Connection.RemotePort),
            AccessLogOperatorKind.DownstreamRemoteAddressWithoutPort => PeerAddress.RemoteText(_context),
            AccessLogOperatorKind.RequestedServerName => _context.Features.Get<Microsoft.AspNetCore.Connections.Features.ITlsHandshakeFeature>()?.HostName,
            AccessLogOperatorKind.RouteName => _feature?.Route?.Name,
            // Not tracked by the gateway: CONNECTION_TERMINATION_DETAILS, UPSTREAM_LOCAL_ADDRESS.
            _ => null,
        };

        if (string.IsNullOrEmpty(value))
        {
            return Empty;
        }

        return segment.MaxLength > 0 && value.Length > segment.MaxLength ? value[..segment.MaxLength] : value;
    }

    public string StartTime => _start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The path as the client sent it (Envoy logs it before any rewrite), token-like query values redacted.</summary>
    public string OriginalPath
        => AccessLogRedaction.RedactTarget(_context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw
            : (_context.Request.PathBase + _context.Request.Path + _context.Request.QueryString).ToString());

    public string UpstreamHost => _feature?.SelectedEndpoint?.Address is { } upstream ? upstream.Host + ":" + upstream.Port.ToString(CultureInfo.InvariantCulture) : Empty;

    /// <summary>The <c>X-Forwarded-For</c> the gateway sent upstream (Envoy logs it after appending the peer).</summary>
    public string ForwardedFor
    {
        get
        {
            var forwarded = _trustedHops > 0 ? ForwardedHeaders.TrustedTail(_context.Request.Headers[ForwardedHeaders.XForwardedFor], _trustedHops) : null;
            if (PeerAddress.RemoteText(_context) is { } peer)
            {
                forwarded = string.IsNullOrEmpty(forwarded) ? peer : forwarded + ", " + peer;
            }

            return string.IsNullOrEmpty(forwarded) ? Empty : forwarded;
        }
    }

    private string? RequestHeader(string name) => name switch
    {
        ":method" => _context.Request.Method,
        ":path" or "x-envoy-original-path" => OriginalPath,
        ":authority" => _context.Request.Host.Value,
        ":scheme" => _context.Request.Scheme,
        "x-forwarded-for" => ForwardedFor,
        _ => AccessLogRedaction.IsSensitive(name)
            ? (_context.Request.Headers.ContainsKey(name) ? Redacted : null)
            : _context.Request.Headers[name].ToString(),
    };

    private string? ResponseHeader(string name)
        => AccessLogRedaction.IsSensitive(name)
            ? (_context.Response.Headers.ContainsKey(name) ? Redacted : null)
            : _context.Response.Headers[name].ToString();

    private static string? Address(System.Net.IPAddress? address, int port)
        => address is null ? null : (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString()) + ":" + port.ToString(CultureInfo.InvariantCulture);
}
