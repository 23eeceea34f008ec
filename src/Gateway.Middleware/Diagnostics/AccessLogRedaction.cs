namespace Gateway.Middleware.Diagnostics;

/// <summary>
/// What the access log never prints: credentials in headers (<c>Authorization</c>, <c>Cookie</c>, <c>Set-Cookie</c>, and
/// any header whose name says token, secret, password, api key, JWT or session) and in query parameters (names with
/// <c>token</c>, as Istio's default <c>access_token</c>).
/// </summary>
internal static class AccessLogRedaction
{
    private static readonly string[] SensitiveParts = ["token", "secret", "password", "api-key", "apikey", "jwt", "session", "credential"];

    public static bool IsSensitive(string headerName)
    {
        if (headerName is "authorization" or "proxy-authorization" or "cookie" or "set-cookie")
        {
            return true;
        }

        foreach (var part in SensitiveParts)
        {
            if (headerName.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Replaces the values of query parameters whose name contains <c>token</c> (JWTs may travel there).</summary>
    public static string RedactTarget(string target)
    {
        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0 || target.IndexOf("token", question, StringComparison.OrdinalIgnoreCase) < 0)
        {
            return target;
        }

        var builder = new System.Text.StringBuilder(target.Length);
        builder.Append(target, 0, question + 1);
        var first = true;
        foreach (var pair in target[(question + 1)..].Split('&'))
        {
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (equals >= 0 && Uri.UnescapeDataString(name).Contains("token", StringComparison.OrdinalIgnoreCase))
            {
                builder.Append(name).Append("=REDACTED");
            }
            else
            {
                builder.Append(pair);
            }
        }

        return builder.ToString();
    }
}
