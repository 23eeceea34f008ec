using System.Net;
using System.Text;
using CsCheck;
using Gateway.Middleware.Authentication;
using Gateway.Middleware.FunctionalTests.Authentication;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Gateway.Middleware.HardeningTests.Fuzzing;

/// <summary>
/// Random and mutated tokens (bit flips, truncation, swapped or extra segments, hostile headers and payloads, deep
/// JSON, huge numbers, oversize) against a JWT rule with real RSA and EC keys: every one is refused with a 401-style
/// status (Envoy's texts, DESIGN.md), none throws; over real sockets the gateway answers 401 with
/// <c>WWW-Authenticate: Bearer ... error="invalid_token"</c> and never forwards.
/// </summary>
public sealed class JwtFuzzTests : IDisposable
{
    private static readonly string[] HostileHeaders =
    [
        """{"alg":"none"}""", """{"alg":"NONE","typ":"JWT"}""", """{"alg":"HS256","kid":"rsa-1"}""", """{"alg":"RS256","crit":["exp"]}""",
        """{"alg":"RS256","kid":123}""", """{"alg":["RS256"]}""", "{}", "[]", "\"RS256\"", "null", "1e999",
        """{"alg":"RS256","jku":"http://169.254.169.254/"}""", """{"alg":"RS256","jwk":{"kty":"oct","k":"AAAA"}}""",
        """{"alg":"ES256","kid":"rsa-1"}""", """{"alg":"RS256","kid":"ec-1"}""", """{"alg":"RS256","alg":"none"}""",
        """{"alg":"RS256",""", """{"alg":"RS256"}  trailing""", """{"alg":"\u0000RS256"}""", "{\"alg\":\"RS256\",\"kid\":\"" + new string('k', 5000) + "\"}",
    ];

    private static readonly string[] HostilePayloads =
    [
        """{"iss":"https://accounts.example.com","exp":1e309}""", """{"iss":"https://accounts.example.com","exp":"tomorrow"}""",
        """{"iss":"https://accounts.example.com","exp":-9223372036854775809}""", """{"iss":"https://accounts.example.com","exp":9999999999,"nbf":1e308}""",
        """{"iss":"https://accounts.example.com","exp":9999999999,"aud":[1,null,{}]}""", """{"iss":123}""", """{"iss":null}""", "[]",
        """{"iss":"https://accounts.example.com","iss":"https://evil.example.com","exp":9999999999}""", "\"x\"", "",
        """{"iss":"https://accounts.example.com","exp":9999999999,"sub":"alice\u0000admin"}""",
        new string('[', 10_000) + new string(']', 10_000),
        "{\"iss\":\"https://accounts.example.com\",\"exp\":9999999999,\"scope\":\"" + new string('s', 14_000) + "\"}",
    ];

    private readonly JwtKeys _rsa = JwtKeys.Rsa("rsa-1");
    private readonly JwtKeys _ec = JwtKeys.EC("ec-1");
    private readonly ITestOutputHelper _output;
    private readonly string[] _valid;

    public JwtFuzzTests(ITestOutputHelper output)
    {
        _output = output;
        _valid = [_rsa.Token(), _ec.Token(), _rsa.Token(c => c["aud"] = new[] { "bookstore", "x" }), _ec.Token(c => c.Remove("email"))];
    }

    public void Dispose()
    {
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Fact]
    public async Task Validate_MutatedAndHostileTokens_Always401StatusNeverThrows()
    {
        var authenticator = JwtRuleSet.Compile(
            [new JwtRuleConfig(JwtKeys.Issuer) { Jwks = JwtKeys.Jwks(_rsa, _ec), Audiences = ["bookstore"] }],
            new JwksProvider(TimeProvider.System, null),
            TimeProvider.System);
        foreach (var token in _valid)
        {
            // The generators start from tokens that pass: a refusal below is the mutation's doing.
            Assert.Equal(JwtStatus.Ok, (await authenticator.ValidateAsync(token)).Status);
        }

        await Tokens(printable: false).SampleAsync(
            async token =>
            {
                if (Array.IndexOf(_valid, token) >= 0)
                {
                    return;
                }

                var result = await authenticator.ValidateAsync(token);

                Assert.NotEqual(JwtStatus.Ok, result.Status);
                Assert.Null(result.Principal);
                Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            writeLine: _output.WriteLine,
            print: token => token.Length > 300 ? token[..300] + $"... ({token.Length} chars)" : token);
    }

    [Fact]
    public async Task Request_MutatedTokensOverRealSockets_401InvalidTokenNeverForwarded()
    {
        var forwarded = 0;
        await using var upstream = await TestUpstream.StartAsync(context =>
        {
            Interlocked.Increment(ref forwarded);
            return context.Response.WriteAsync("books");
        });
        await using var gateway = await GatewayHost.StartAsync(g => g
            .AddUpstream("books", u => u.Endpoint(upstream.Address))
            .AddRoute("books", r => r.RouteTo("books"))
            .AddJwtRule(JwtKeys.Issuer, r => r.Jwks(JwtKeys.Jwks(_rsa, _ec)).Audiences("bookstore")));
        using var client = gateway.CreateClient();
        var sent = 0;

        await Tokens(printable: true).SampleAsync(
            async token =>
            {
                // No token at all is not an invalid token: RequestAuthentication alone lets it through (Istio).
                if (Array.IndexOf(_valid, token) >= 0 || string.IsNullOrWhiteSpace(token))
                {
                    return;
                }

                using var request = new HttpRequestMessage(HttpMethod.Get, "/books");
                Assert.True(request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));
                using var response = await client.SendAsync(request);
                Interlocked.Increment(ref sent);

                // A token too large for Kestrel's header limits never reaches the gateway (431); all others are 401.
                if (response.StatusCode == HttpStatusCode.RequestHeaderFieldsTooLarge)
                {
                    return;
                }

                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            },
            seed: FuzzBudget.Seed,
            time: FuzzBudget.Seconds,
            threads: 2,
            writeLine: _output.WriteLine,
            print: token => token.Length > 300 ? token[..300] + $"... ({token.Length} chars)" : token);

        _output.WriteLine($"{sent} requests, {forwarded} forwarded");
        Assert.True(sent > 0);
        Assert.Equal(0, Volatile.Read(ref forwarded));
    }

    /// <summary>Found by the properties above: JSON with invalid UTF-8 in a string threw when read (a 500).</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Validate_InvalidUtf8InsideJsonString_BadJson401NotAnException(bool inHeader)
    {
        var authenticator = JwtRuleSet.Compile(
            [new JwtRuleConfig(JwtKeys.Issuer) { Jwks = JwtKeys.Jwks(_rsa), Audiences = ["bookstore"] }],
            new JwksProvider(TimeProvider.System, null),
            TimeProvider.System);
        var parts = _rsa.Token().Split('.');
        var invalid = Base64Url([.. Encoding.ASCII.GetBytes(inHeader ? "{\"alg\":\"RS256\",\"kid\":\"rsa-1" : "{\"iss\":\"https://accounts.example.com"), 0xAD, .. "\"}"u8]);
        var token = inHeader ? invalid + "." + parts[1] + "." + parts[2] : parts[0] + "." + invalid + "." + parts[2];

        var result = await authenticator.ValidateAsync(token);

        Assert.Equal(inHeader ? JwtStatus.HeaderBadJson : JwtStatus.PayloadBadJson, result.Status);
        Assert.Equal(401, JwtStatusText.StatusCode(result.Status));
    }

    /// <summary>Mutations of valid tokens, hostile header/payload pairs, and noise.</summary>
    private Gen<string> Tokens(bool printable)
    {
        var valid = Gen.Int[0, _valid.Length - 1].Select(i => _valid[i]);
        var noiseChars = printable ? Gen.Char["abcXYZ019-_.=+/ "] : Gen.Char["abcXYZ019-_.=+/ \u0000\u00e9\t"];
        var flip = Gen.Select(valid, Gen.Int[0, 10_000], noiseChars).Select((t, at, c) =>
        {
            var chars = t.ToCharArray();
            chars[at % chars.Length] = c;
            return new string(chars);
        });
        var truncate = Gen.Select(valid, Gen.Int[0, 10_000]).Select((t, at) => t[..(at % t.Length)]);
        var segments = Gen.Select(valid, Gen.Int[0, 5]).Select((t, how) =>
        {
            var parts = t.Split('.');
            return how switch
            {
                0 => parts[0] + "." + parts[1],
                1 => parts[0] + "." + parts[1] + ".",
                2 => t + "." + parts[2],
                3 => parts[1] + "." + parts[0] + "." + parts[2],
                4 => parts[0] + ".." + parts[2],
                _ => parts[0] + "." + parts[1] + "." + parts[2] + "==",
            };
        });
        var hostile = Gen.Select(Gen.Int[0, HostileHeaders.Length - 1], Gen.Int[0, HostilePayloads.Length - 1], valid).Select((h, p, t) =>
            Base64Url(HostileHeaders[h]) + "." + Base64Url(HostilePayloads[p]) + "." + t.Split('.')[2]);
        var resigned = Gen.Select(valid, Gen.Int[0, HostilePayloads.Length - 1]).Select((t, p) =>
        {
            // A valid header and signature over a different payload.
            var parts = t.Split('.');
            return parts[0] + "." + Base64Url(HostilePayloads[p]) + "." + parts[2];
        });
        var noise = Gen.String[noiseChars, 0, 200];
        var oversize = Gen.Int[JwtAuthenticator.MaxTokenLength - 2, JwtAuthenticator.MaxTokenLength + 2].Select(n => new string('a', n / 2) + "." + new string('b', n - (n / 2) - 1));
        return Gen.Frequency((4, flip), (2, truncate), (2, segments), (3, hostile), (2, resigned), (2, noise), (1, oversize));
    }

    private static string Base64Url(string json) => Base64Url(Encoding.UTF8.GetBytes(json));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
