using Gateway.Middleware.Authorization;

namespace Gateway.Middleware.Tests.Authorization;

// Istio "Authorization Policy Normalization" (istio.io/latest/docs/reference/config/security/normalization)
// and the pathNormalization table of the security best practices: NONE / BASE / MERGE_SLASHES /
// DECODE_AND_MERGE_SLASHES, applied in Envoy's order (escaped slashes, normalize_path, merge_slashes).
public sealed class PathNormalizerTests
{
    [Theory]
    // Already normal: nothing allocated, the path is left as Kestrel parsed it.
    [InlineData("/", null)]
    [InlineData("/admin", null)]
    [InlineData("/a/b.c/.d/..e/", null)]
    [InlineData("//admin", null)] // BASE keeps "//": the CVE-2021-31920 bypass MERGE_SLASHES closes.
    // RFC 3986 §5.2.4 dot-segments.
    [InlineData("/a/../admin", "/admin")]
    [InlineData("/a/./admin", "/a/admin")]
    [InlineData("/../admin", "/admin")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/a/.", "/a/")]
    [InlineData("/..", "/")]
    [InlineData("/a/b/../../../c", "/c")]
    // RFC 3986 §6.2.2.2: unreserved characters decoded, encoded dots are dot-segments.
    [InlineData("/%61dmin", "/admin")]
    [InlineData("/%41DMIN", "/ADMIN")]
    [InlineData("/a%7Eb%7e%2D%5F%30", "/a~b~-_0")]
    [InlineData("/a/%2e%2e/admin", "/admin")]
    [InlineData("/a/%2E./admin", "/admin")]
    [InlineData("/a/%2e/admin", "/a/admin")]
    // Istio BASE: "\da is normalized to /da".
    [InlineData("/\\admin", "//admin")]
    [InlineData("/a\\..\\admin", "/admin")]
    // %2F, %5C and %25 stay encoded (uppercase) so routing never sees a '/' the client did not send.
    [InlineData("/%2Fadmin", "/%2Fadmin")]
    [InlineData("/a%2fb", "/a%2Fb")]
    [InlineData("/a%5cb", "/a%5Cb")]
    [InlineData("/a%2F..%2Fadmin", "/a%2F..%2Fadmin")]
    [InlineData("/a%252F", "/a%252F")]
    // Other escapes are decoded into PathString form, as Kestrel does; forwarding re-escapes them.
    [InlineData("/b%20c", "/b c")]
    [InlineData("/a%3Ab", "/a:b")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/bad%C3utf8", "/bad%C3utf8")]
    public void Normalize_Base_MatchesIstioBase(string raw, string? expected)
        => AssertNormalized(raw, PathNormalization.Base, expected);

    [Theory]
    [InlineData("/admin", null)]
    [InlineData("/a/b/", null)]
    [InlineData("//admin", "/admin")]
    [InlineData("/a//b///c//", "/a/b/c/")]
    [InlineData("/a/../admin", "/admin")]
    [InlineData("/%61dmin", "/admin")]
    [InlineData("/a/%2e%2e/admin", "/admin")]
    [InlineData("/\\admin", "/admin")]
    [InlineData("/\\\\admin", "/admin")]
    // Envoy normalizes, then merges: the empty segment is what ".." removes.
    [InlineData("/a//../b", "/a/b")]
    [InlineData("/%2Fadmin", "/%2Fadmin")]
    [InlineData("/%2F/admin", "/%2F/admin")]
    [InlineData("/a%5C..%5Cadmin", "/a%5C..%5Cadmin")]
    public void Normalize_MergeSlashes_MatchesIstioMergeSlashes(string raw, string? expected)
        => AssertNormalized(raw, PathNormalization.MergeSlashes, expected);

    [Theory]
    [InlineData("/admin", null)]
    [InlineData("//admin", "/admin")]
    [InlineData("/%2Fadmin", "/admin")]
    [InlineData("/%2fadmin", "/admin")]
    [InlineData("/a%2fb", "/a/b")]
    [InlineData("/%5Cadmin", "/admin")]
    [InlineData("/a%2F..%2Fadmin", "/admin")]
    [InlineData("/a%5c..%5cadmin", "/admin")]
    [InlineData("/a%2F%2F%2Fb", "/a/b")]
    // One decoding pass only (Istio: "no double decoding").
    [InlineData("/a%252Fb", "/a%252Fb")]
    [InlineData("/%61dmin", "/admin")]
    public void Normalize_DecodeAndMergeSlashes_MatchesIstioDecodeAndMergeSlashes(string raw, string? expected)
        => AssertNormalized(raw, PathNormalization.DecodeAndMergeSlashes, expected);

    [Theory]
    [InlineData("/a/../admin")]
    [InlineData("//admin")]
    [InlineData("/%61dmin")]
    [InlineData("/\\admin")]
    public void Normalize_None_LeavesThePathToKestrel(string raw)
        => AssertNormalized(raw, PathNormalization.None, null);

    [Theory]
    [InlineData(PathNormalization.None, "/a/../b%2F%61\\c", "/b%2Fa\\c")]
    [InlineData(PathNormalization.None, "/admin", "/admin")]
    [InlineData(PathNormalization.Base, "/admin", "/admin")]
    [InlineData(PathNormalization.MergeSlashes, "//a/./b", "/a/b")]
    public void Normalize_Always_ProducesAResultEvenWhenAlreadyNormal(PathNormalization mode, string raw, string expected)
    {
        Assert.Equal(PathNormalizationResult.Normalized, PathNormalizer.Normalize(raw, mode, out var normalized, always: true));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    // Istio: "%00 ... The request will always be rejected with HTTP code 400", in every mode.
    [InlineData("/%00")]
    [InlineData("/admin%00.html")]
    [InlineData("/a/%00/../b")]
    // Malformed escapes are answered 400 rather than guessed at.
    [InlineData("/%")]
    [InlineData("/a%2")]
    [InlineData("/a%zzb")]
    [InlineData("/a%2g")]
    [InlineData("/a%%41")]
    public void Normalize_NulOrInvalidEscape_IsInvalidInEveryMode(string raw)
    {
        foreach (var mode in Enum.GetValues<PathNormalization>())
        {
            Assert.Equal(PathNormalizationResult.Invalid, PathNormalizer.Normalize(raw, mode, out var normalized));
            Assert.Null(normalized);
        }
    }

    [Fact]
    public void Normalize_LongPath_UsesAPooledBufferAndStaysCorrect()
    {
        var raw = "/" + string.Concat(Enumerable.Repeat("seg/", 200)) + "../%61";

        Assert.Equal(PathNormalizationResult.Normalized, PathNormalizer.Normalize(raw, PathNormalization.MergeSlashes, out var normalized));
        Assert.Equal("/" + string.Concat(Enumerable.Repeat("seg/", 199)) + "a", normalized);
    }

    [Fact]
    public void Normalize_AlreadyNormalPath_DoesNotAllocate()
    {
        const string raw = "/api/v1/orders/12345/items";
        PathNormalizer.Normalize(raw, PathNormalization.MergeSlashes, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = PathNormalizer.Normalize(raw, PathNormalization.MergeSlashes, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(PathNormalizationResult.Unchanged, result);
        Assert.Equal(0, allocated);
    }

    private static void AssertNormalized(string raw, PathNormalization mode, string? expected)
    {
        var result = PathNormalizer.Normalize(raw, mode, out var normalized);

        if (expected is null)
        {
            Assert.Equal(PathNormalizationResult.Unchanged, result);
            Assert.Null(normalized);
        }
        else
        {
            Assert.Equal(PathNormalizationResult.Normalized, result);
            Assert.Equal(expected, normalized);
        }
    }
}
