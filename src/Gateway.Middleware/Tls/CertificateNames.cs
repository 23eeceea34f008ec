using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Tls;

/// <summary>
/// Reads the DNS and URI subject alternative names of a certificate (RFC 5280 §4.2.1.6): of a client certificate
/// at the gateway (<c>source.principal</c>) and of an upstream's certificate (DestinationRule <c>subjectAltNames</c>).
/// </summary>
internal static class CertificateNames
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string SpiffePrefix = "spiffe://";

    /// <summary>
    /// Every DNS (<c>dNSName</c>) and URI (<c>uniformResourceIdentifier</c>) SAN, in certificate order; empty when
    /// there is none or the extension does not parse.
    /// </summary>
    public static List<(bool IsUri, string Value)> SubjectAltNames(X509Certificate2 certificate)
    {
        var names = new List<(bool, string)>();
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAltNameOid)
            {
                continue;
            }

            try
            {
                var sequence = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (sequence.HasData)
                {
                    var tag = sequence.PeekTag();
                    if (tag.TagClass == TagClass.ContextSpecific && tag.TagValue is 2 or 6)
                    {
                        names.Add((tag.TagValue == 6, sequence.ReadCharacterString(UniversalTagNumber.IA5String, tag)));
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed extension carries no usable name.
            }
        }

        return names;
    }

    /// <summary>
    /// Istio's <c>source.principal</c>: the first <c>spiffe://</c> URI SAN without its scheme
    /// (<c>cluster.local/ns/default/sa/sleep</c>); <see langword="null"/> when there is none.
    /// </summary>
    public static string? SpiffePrincipal(List<(bool IsUri, string Value)> names)
    {
        foreach (var (isUri, value) in names)
        {
            if (isUri && value.StartsWith(SpiffePrefix, StringComparison.OrdinalIgnoreCase) && value.Length > SpiffePrefix.Length)
            {
                return value[SpiffePrefix.Length..];
            }
        }

        return null;
    }

    /// <summary>Istio's <c>source.namespace</c>: the segment after <c>/ns/</c> in a principal; null when absent.</summary>
    public static string? NamespaceOf(string? principal)
    {
        if (principal is null)
        {
            return null;
        }

        var start = principal.IndexOf("/ns/", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += "/ns/".Length;
        var end = principal.IndexOf('/', start);
        var name = end < 0 ? principal[start..] : principal[start..end];
        return name.Length == 0 ? null : name;
    }
}
