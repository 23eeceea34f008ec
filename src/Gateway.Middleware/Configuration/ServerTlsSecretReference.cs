namespace Gateway.Middleware.Configuration;

/// <summary>
/// A Kubernetes secret named by Istio <c>credentialName</c> or a Gateway API <c>certificateRefs</c> entry,
/// resolved to the files <c>&lt;secrets directory&gt;/&lt;namespace&gt;/&lt;name&gt;/</c> when the configuration compiles.
/// </summary>
/// <param name="Namespace">The secret's namespace.</param>
/// <param name="Name">The secret's name.</param>
/// <param name="Field">The field that names it, for error messages (e.g. <c>tls.credentialName</c>).</param>
internal sealed record ServerTlsSecretReference(string Namespace, string Name, string Field);
