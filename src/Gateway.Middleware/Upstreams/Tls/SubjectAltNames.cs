using System.Security.Cryptography.X509Certificates;
using Gateway.Middleware.Tls;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>
/// Checks an upstream's certificate against DestinationRule <c>subjectAltNames</c> and a mesh trust domain; the
/// names come from <see cref="CertificateNames.SubjectAltNames"/>, the reader the gateway's client-certificate
/// identities use too.
/// </summary>
internal static class SubjectAltNames
{
    /// <summary>
    /// Whether one of <paramref name="expected"/> equals a DNS SAN (case-insensitive) or a URI SAN (exact) of
    /// <paramref name="certificate"/>, as Envoy's <c>match_typed_subject_alt_names</c> with exact matchers.
    /// </summary>
    public static bool ContainsAny(X509Certificate2 certificate, IReadOnlyList<string> expected)
    {
        foreach (var (isUri, name) in CertificateNames.SubjectAltNames(certificate))
        {
            foreach (var candidate in expected)
            {
                if (string.Equals(name, candidate, isUri ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the certificate carries a URI SAN starting with <paramref name="prefix"/> (a SPIFFE trust domain).</summary>
    public static bool HasUriWithPrefix(X509Certificate2 certificate, string prefix)
    {
        foreach (var (isUri, name) in CertificateNames.SubjectAltNames(certificate))
        {
            if (isUri && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
