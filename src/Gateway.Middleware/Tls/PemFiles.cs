using System.Security.Cryptography.X509Certificates;

namespace Gateway.Middleware.Tls;

/// <summary>Loaders for <see cref="ReloadingFileValue{T}"/>: PEM certificate with key, PEM CA bundle.</summary>
internal static class PemFiles
{
    /// <summary>
    /// Loads a certificate (the first PEM block) with its private key, and the rest of the file as the chain.
    /// Fails when the key does not belong to the certificate.
    /// </summary>
    public static CertificateWithChain LoadCertificate(string certificatePath, string keyPath)
    {
        using var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        // An ephemeral key cannot be used by SslStream on every platform; a PKCS#12 round trip makes it usable.
        var usable = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certificatePath);
        var chain = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            chain.Add(all[i]);
        }

        return new CertificateWithChain(usable, chain);
    }

    /// <summary>Loads every certificate of a PEM bundle; fails when there is none.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        if (bundle.Count == 0)
        {
            throw new InvalidOperationException($"'{path}' holds no PEM certificate.");
        }

        return bundle;
    }
}

/// <summary>A certificate with its private key and the intermediates sent with it.</summary>
internal sealed record CertificateWithChain(X509Certificate2 Certificate, X509Certificate2Collection Chain);
