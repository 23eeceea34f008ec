namespace Gateway.Middleware.Configuration;

/// <summary>Istio <c>ServerTLSSettings.TLSmode</c> of a server that terminates TLS.</summary>
internal enum ServerTlsMode
{
    /// <summary>Server certificate only.</summary>
    Simple = 0,

    /// <summary>A client certificate from the client CA is required.</summary>
    Mutual = 1,

    /// <summary>A client certificate is requested and validated when given; connections without one are accepted.</summary>
    OptionalMutual = 2,
}
