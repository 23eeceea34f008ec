using System.Text.Json;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// The identity a validated JWT established (Istio's <c>request.auth.*</c> attributes), read by
/// authorization and by routing on <c>@request.auth.claims</c>.
/// </summary>
internal sealed class JwtPrincipal
{
    public JwtPrincipal(string issuer, string subject, string[] audiences, string? presenter, JsonElement claims)
    {
        Issuer = issuer;
        Subject = subject;
        Name = issuer + "/" + subject;
        Audiences = audiences;
        Presenter = presenter;
        Claims = claims;
    }

    public string Issuer { get; }

    public string Subject { get; }

    /// <summary>Istio's request principal: <c>iss/sub</c>.</summary>
    public string Name { get; }

    public string[] Audiences { get; }

    /// <summary>The <c>azp</c> claim (<c>request.auth.presenter</c>).</summary>
    public string? Presenter { get; }

    /// <summary>The token's payload (a JSON object), for <c>request.auth.claims[...]</c>.</summary>
    public JsonElement Claims { get; }
}
