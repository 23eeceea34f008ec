namespace Gateway.Middleware.Testing;

/// <summary>The signing algorithm of a <see cref="TestJwtIssuer"/>.</summary>
public enum TestJwtAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 and a 2048-bit RSA key (<c>kty: RSA</c>).</summary>
    RS256 = 0,

    /// <summary>ECDSA with P-256 and SHA-256 (<c>kty: EC</c>, <c>crv: P-256</c>).</summary>
    ES256 = 1,
}
