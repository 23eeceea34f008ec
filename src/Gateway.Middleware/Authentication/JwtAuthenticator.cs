using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// Validates tokens against the JWT rules of one configuration snapshot. Parsing is done here, strictly,
/// before any key is touched: the header decides nothing but which configured key of the right type to try.
/// <c>jku</c>, <c>x5u</c>, <c>jwk</c> and <c>x5c</c> are never read.
/// </summary>
internal sealed partial class JwtAuthenticator
{
    /// <summary>Tokens longer than this are refused before decoding (a JWT is rarely over 2 KB).</summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Allowed clock difference for <c>exp</c> and <c>nbf</c> (Envoy's default is 60 s).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(60);

    private static readonly string[] AllowedAlgorithms =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512"];

    private readonly Dictionary<string, JwtRule> _rules;
    private readonly TimeProvider _timeProvider;
    private readonly JwtTokenCache _cache;

    public JwtAuthenticator(IReadOnlyList<JwtRule> rules, TimeProvider timeProvider, int cacheCapacity = JwtTokenCache.DefaultCapacity)
    {
        _rules = new Dictionary<string, JwtRule>(StringComparer.Ordinal);
        var locations = new List<JwtTokenLocation>();
        var strip = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var rule in rules)
        {
            _rules.TryAdd(rule.Config.Issuer, rule);
            foreach (var location in rule.Locations)
            {
                if (!locations.Contains(location))
                {
                    locations.Add(location);
                }
            }

            foreach (var (header, _) in rule.ClaimHeaders)
            {
                strip.Add(header);
            }

            if (rule.Config.OutputPayloadToHeader is { Length: > 0 } payloadHeader)
            {
                strip.Add(payloadHeader);
            }
        }

        Rules = rules;
        Locations = locations;
        OutputHeaders = [.. strip];
        _timeProvider = timeProvider;
        _cache = new JwtTokenCache(cacheCapacity);
    }

    public IReadOnlyList<JwtRule> Rules { get; }

    /// <summary>Every location any rule reads, header locations first, in rule order.</summary>
    public IReadOnlyList<JwtTokenLocation> Locations { get; }

    /// <summary>Header names the gateway writes on success and removes from every other request.</summary>
    public string[] OutputHeaders { get; }

    /// <summary>A token validated before and still good: one dictionary lookup, no allocation.</summary>
    public bool TryGetCached(ReadOnlySpan<char> token, out JwtResult result)
    {
        if (_cache.TryGet(token, _timeProvider.GetUtcNow().ToUnixTimeSeconds(), out var entry)
            && ReferenceEquals(entry.Keys, entry.Result.Rule!.CurrentKeys))
        {
            result = entry.Result;
            return true;
        }

        result = default;
        return false;
    }

    public async ValueTask<JwtResult> ValidateAsync(string token, JwtTokenLocation? location = null)
    {
        if (token.Length > MaxTokenLength)
        {
            return JwtResult.Fail(JwtStatus.TooLarge);
        }

        if (TryGetCached(token, out var cached) && (location is null || cached.Rule!.Locations.Contains(location)))
        {
            return cached;
        }

        var status = Parse(token, out var jwt);
        if (status != JwtStatus.Ok)
        {
            return JwtResult.Fail(status);
        }

        using var payload = jwt.Payload!;
        var root = payload.RootElement;
        if (!root.TryGetProperty("iss", out var issElement) || issElement.ValueKind != JsonValueKind.String
            || !_rules.TryGetValue(issElement.GetString()!, out var rule)
            || (location is not null && !rule.Locations.Contains(location)))
        {
            return JwtResult.Fail(JwtStatus.UnknownIssuer);
        }

        var keys = await rule.GetKeysAsync().ConfigureAwait(false);
        status = VerifySignature(jwt, keys);
        if (status == JwtStatus.KidAlgMismatch && jwt.Kid is not null && rule.Remote is not null && keys?.HasKid(jwt.Kid) != true)
        {
            keys = await rule.Remote.RefetchForUnknownKidAsync().ConfigureAwait(false);
            status = VerifySignature(jwt, keys);
        }

        if (status != JwtStatus.Ok)
        {
            return JwtResult.Fail(status);
        }

        status = CheckClaims(root, rule, out var expires);
        if (status != JwtStatus.Ok)
        {
            return JwtResult.Fail(status);
        }

        var result = new JwtResult(JwtStatus.Ok, rule, CreatePrincipal(root, issElement.GetString()!), jwt.PayloadSegment);
        _cache.Add(token, new JwtTokenCache.Entry(result, keys!, expires));
        return result;
    }

    private static JwtStatus VerifySignature(in ParsedJwt jwt, JwtKeySet? keys)
    {
        if (keys is null || keys.Keys.Count == 0)
        {
            return JwtStatus.NoValidKeys;
        }

        var candidates = 0;
        foreach (var key in keys.Keys)
        {
            if ((jwt.Kid is not null && key.Kid is not null && !string.Equals(jwt.Kid, key.Kid, StringComparison.Ordinal))
                || !key.Fits(jwt.Alg!))
            {
                continue;
            }

            candidates++;
            if (key.Verify(jwt.Alg!, jwt.SignedData, jwt.Signature))
            {
                return JwtStatus.Ok;
            }
        }

        return candidates == 0 ? JwtStatus.KidAlgMismatch : JwtStatus.VerificationFail;
    }

    private JwtStatus CheckClaims(JsonElement root, JwtRule rule, out long expires)
    {
        expires = 0;
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var skew = (long)ClockSkew.TotalSeconds;

        // exp is required unless the rule says otherwise (DESIGN.md: safer than Istio, which accepts a token
        // without one).
        if (!root.TryGetProperty("exp", out var exp))
        {
            if (rule.Config.RequireExpiration)
            {
                return JwtStatus.MissingExp;
            }

            // Never cache such a token for long: a revoked key must stop it soon.
            expires = now + (long)JwtRuleConfig.UnboundedTokenCacheTime.TotalSeconds;
        }
        else if (exp.ValueKind != JsonValueKind.Number || !exp.TryGetDouble(out var expSeconds))
        {
            return JwtStatus.MissingExp;
        }
        else
        {
            expires = expSeconds >= long.MaxValue ? long.MaxValue : (long)Math.Floor(expSeconds);
            if (now > expires + skew)
            {
                return JwtStatus.Expired;
            }
        }

        if (root.TryGetProperty("nbf", out var nbf))
        {
            if (nbf.ValueKind != JsonValueKind.Number || !nbf.TryGetDouble(out var nbfSeconds))
            {
                return JwtStatus.VerificationFail;
            }

            if (now + skew < nbfSeconds)
            {
                return JwtStatus.NotYetValid;
            }
        }

        if (rule.Audiences is { } allowed && !AudienceAllowed(root, allowed))
        {
            return JwtStatus.AudienceNotAllowed;
        }

        return JwtStatus.Ok;
    }

    private static bool AudienceAllowed(JsonElement root, HashSet<string> allowed)
    {
        if (!root.TryGetProperty("aud", out var aud))
        {
            return false;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            return allowed.Contains(aud.GetString()!);
        }

        if (aud.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in aud.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String && allowed.Contains(item.GetString()!))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static JwtPrincipal CreatePrincipal(JsonElement root, string issuer)
    {
        var subject = root.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString()! : "";
        string[] audiences = [];
        if (root.TryGetProperty("aud", out var aud))
        {
            audiences = aud.ValueKind switch
            {
                JsonValueKind.String => [aud.GetString()!],
                JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
                _ => [],
            };
        }

        var presenter = root.TryGetProperty("azp", out var azp) && azp.ValueKind == JsonValueKind.String ? azp.GetString() : null;
        return new JwtPrincipal(issuer, subject, audiences, presenter, root.Clone());
    }

    private static JwtStatus Parse(string token, out ParsedJwt jwt)
    {
        jwt = default;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.IndexOf('.', second + 1) >= 0)
        {
            return JwtStatus.BadFormat;
        }

        var headerSegment = token.AsSpan(0, first);
        var payloadSegment = token.AsSpan(first + 1, second - first - 1);
        var signatureSegment = token.AsSpan(second + 1);

        if (!TryDecode(headerSegment, out var headerBytes))
        {
            return JwtStatus.HeaderBadBase64;
        }

        var status = ParseHeader(headerBytes, out var alg, out var kid);
        if (status != JwtStatus.Ok)
        {
            return status;
        }

        if (payloadSegment.IsEmpty || !TryDecode(payloadSegment, out var payloadBytes))
        {
            return JwtStatus.PayloadBadBase64;
        }

        // JSON text is UTF-8 (RFC 8259 §8.1); JsonDocument does not check string contents until they are read,
        // where invalid bytes would throw instead of refusing the token (found by Fuzzing/JwtFuzzTests).
        if (!Utf8.IsValid(payloadBytes))
        {
            return JwtStatus.PayloadBadJson;
        }

        JsonDocument payload;
        try
        {
            payload = JsonDocument.Parse(payloadBytes);
        }
        catch (JsonException)
        {
            return JwtStatus.PayloadBadJson;
        }

        if (payload.RootElement.ValueKind != JsonValueKind.Object)
        {
            payload.Dispose();
            return JwtStatus.PayloadBadJson;
        }

        if (!TryDecode(signatureSegment, out var signature))
        {
            payload.Dispose();
            return JwtStatus.SignatureBadBase64;
        }

        if (signature.Length == 0)
        {
            payload.Dispose();
            return JwtStatus.VerificationFail;
        }

        jwt = new ParsedJwt(alg, kid, Encoding.ASCII.GetBytes(token, 0, second), signature, payload, payloadSegment.ToString());
        return JwtStatus.Ok;
    }

    private static JwtStatus ParseHeader(byte[] headerBytes, out string? alg, out string? kid)
    {
        alg = null;
        kid = null;
        if (!Utf8.IsValid(headerBytes))
        {
            return JwtStatus.HeaderBadJson;
        }

        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return JwtStatus.HeaderBadJson;
            }

            if (!root.TryGetProperty("alg", out var algElement) || algElement.ValueKind != JsonValueKind.String)
            {
                return JwtStatus.HeaderBadAlg;
            }

            // Ordinal: "none", "None", "NONE" and anything else off the list are refused (RFC 8725 §3.1).
            alg = Array.Find(AllowedAlgorithms, a => algElement.ValueEquals(a));
            if (alg is null)
            {
                return JwtStatus.HeaderNotImplementedAlg;
            }

            if (root.TryGetProperty("kid", out var kidElement))
            {
                if (kidElement.ValueKind != JsonValueKind.String)
                {
                    return JwtStatus.HeaderBadKid;
                }

                kid = kidElement.GetString();
            }

            // RFC 7515 §4.1.11: a recipient must reject a token whose crit names an extension it does not
            // understand; this gateway understands none.
            if (root.TryGetProperty("crit", out _))
            {
                return JwtStatus.HeaderUnknownCrit;
            }

            return JwtStatus.Ok;
        }
        catch (JsonException)
        {
            return JwtStatus.HeaderBadJson;
        }
    }

    // Strict base64url (RFC 7515 §2): no padding, no whitespace, no '+' or '/'.
    private static bool TryDecode(ReadOnlySpan<char> segment, out byte[] bytes)
    {
        bytes = [];
        if (segment.ContainsAny('=', '+', '/') || !Base64Url.IsValid(segment, out var length))
        {
            return false;
        }

        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(segment, bytes, out var written) && written == length;
    }

    private readonly record struct ParsedJwt(string? Alg, string? Kid, byte[] SignedData, byte[] Signature, JsonDocument? Payload, string? PayloadSegment);
}
