namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// Every log event id the gateway uses, allocated in blocks of 100 per feature so ids stay stable as
/// features grow.
/// </summary>
internal static class EventIds
{
    // 1xx: configuration and reload.
    public const int ConfigLoaded = 100;
    public const int ConfigRejected = 101;
    public const int ConfigWarning = 102;

    // 2xx: host matching and routing.
    public const int NoVirtualHost = 200;
    public const int NoRoute = 201;
    public const int Misdirected = 202;

    // 4xx: authorization.
    public const int AuthorizationDenied = 400;
    public const int AuthorizationNotAllowed = 401;
    public const int AuthorizationAudit = 402;

    // 5xx: forwarding.
    public const int ForwarderNoHealthyUpstream = 500;
    public const int ForwarderError = 501;
    public const int ForwarderAbortedAfterHeaders = 502;

    // 51x: retries and mirrors.
    public const int ForwarderRetryAfterFailure = 510;
    public const int ForwarderRetryAfterStatus = 511;
    public const int MirrorFailed = 512;
    public const int MirrorAbandoned = 513;
    public const int MirrorNoHealthyUpstream = 514;

    // 6xx: access log.
    public const int AccessLogRequest = 600;

    // 7xx: JWT authentication.
    public const int JwksFetched = 700;
    public const int JwksFetchFailed = 701;
    public const int JwksRefused = 702;
    public const int JwtRejected = 703;

    // 8xx: TLS (certificates, gateway-side and upstream TLS).
    public const int CertificateReloaded = 800;
    public const int CertificateReloadFailed = 801;

    // 810-829: upstream TLS origination.
    public const int UpstreamTlsInsecureSkipVerify = 810;
    public const int UpstreamTlsHandshakeFailed = 811;

    // 830-849: TLS at the gateway (servers terminating TLS).
    public const int TlsClientCertificateRejected = 830;
    public const int TlsNoServerForPort = 831;
    public const int TlsHandshakeOptionsFailed = 832;
    public const int HttpsRedirected = 833;

    // 850-869: load balancing, outlier detection, circuit breaking.
    public const int EndpointEjected = 850;
    public const int EndpointReadmitted = 851;
    public const int EjectionOverMaxPercent = 852;
    public const int CircuitBreakerOverflow = 853;
    public const int RetryOverflow = 854;
}
