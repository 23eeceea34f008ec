using System.Text.Json;

namespace Gateway.Middleware.Authentication;

/// <summary>Reads a claim for <c>outputClaimToHeaders</c>: nested by <c>a.b.c</c>; strings, numbers and booleans only (Istio).</summary>
internal static class JwtClaims
{
    public static bool TryFormat(JsonElement claims, string[] path, out string value)
    {
        value = "";
        var current = claims;
        foreach (var part in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return false;
            }
        }

        switch (current.ValueKind)
        {
            case JsonValueKind.String:
                value = current.GetString()!;
                return true;
            case JsonValueKind.Number:
                value = current.GetRawText();
                return true;
            case JsonValueKind.True:
                value = "true";
                return true;
            case JsonValueKind.False:
                value = "false";
                return true;
            default:
                return false;
        }
    }
}
