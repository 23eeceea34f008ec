using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Upstreams.Tls;

/// <summary>Reads the DNS and URI subject alternative names of a certificate (RFC 5280 §4.2.1.6).</summary>
internal static class SubjectAltNames
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private static readonly Asn1Tag DnsNameTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>
    /// Whether one of <paramref name="expected"/> equals a DNS SAN (case-insensitive) or a URI SAN (exact) of
    /// <paramref name="certificate"/>, as Envoy's <c>match_typed_subject_alt_names</c> with exact matchers.
    /// </summary>
    public static bool ContainsAny(X509Certificate2 certificate, IReadOnlyList<string> expected)
    {
        foreach (var (isUri, name) in Read(certificate))
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
        foreach (var (isUri, name) in Read(certificate))
        {
            if (isUri && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every DNS (<c>false</c>) and URI (<c>true</c>) SAN; empty when there is none or it does not parse.</summary>
    public static List<(bool IsUri, string Name)> Read(X509Certificate2 certificate)
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
                    if (tag.HasSameClassAndValue(DnsNameTag))
                    {
                        names.Add((false, sequence.ReadCharacterString(UniversalTagNumber.IA5String, DnsNameTag)));
                    }
                    else if (tag.HasSameClassAndValue(UriTag))
                    {
                        names.Add((true, sequence.ReadCharacterString(UniversalTagNumber.IA5String, UriTag)));
                    }
                    else
                    {
                        sequence.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // A malformed SAN extension matches nothing.
            }
        }

        return names;
    }
}
