using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bookinfo;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// The five curl commands <c>samples/Bookinfo</c> prints at start-up, taken from the printed banner and run as
/// written (<see cref="BookinfoCurl"/>): each answers as the line under it says.
/// </summary>
[Collection(BookinfoSamples.Name)]
public sealed class BookinfoTourTests(BookinfoFixture fixture)
{
    [Fact]
    public void Banner_FiveCurlCommands_EachWithWhatItShows()
    {
        var banner = Tour.Banner(fixture.Demo);

        Assert.Equal(5, Commands(banner).Count);
        Assert.Equal(5, Regex.Count(banner, @"^\s+# \S", RegexOptions.Multiline));
        Assert.Contains($"http://localhost:{fixture.Demo.HttpPort}", banner, StringComparison.Ordinal);
        Assert.Contains($"https://localhost:{fixture.Demo.HttpsPort}", banner, StringComparison.Ordinal);
    }

    /// <summary>1: the product page over HTTPS, certificate for bookinfo.example.com checked against the printed CA file.</summary>
    [Fact]
    public async Task Step1_ProductPageOverHttps_DetailsAndReviewsFromV1OrV3()
    {
        using var curl = new BookinfoCurl(Command(1));

        var (status, body, response) = await curl.SendAsync();

        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, status);
        }

        Assert.Contains("<h2>The Comedy of Errors</h2>", body, StringComparison.Ordinal);
        Assert.Contains("<dt>author:</dt><dd>William Shakespeare</dd>", body, StringComparison.Ordinal);
        var pod = Regex.Match(body, "Reviews served by:</dt><dd><u>([^<]+)</u>").Groups[1].Value;
        Assert.Contains(pod, (string[])["reviews-v1", "reviews-v3"]);
        Assert.Equal(pod == "reviews-v3", body.Contains("<font color=\"red\">★★★★★</font>", StringComparison.Ordinal));
    }

    /// <summary>2: reviews through the gateway (over mTLS): v1 without stars or, one time in five, v3 with red stars.</summary>
    [Fact]
    public async Task Step2_Reviews_V1WithoutRatingsOrV3WithRedStars()
    {
        using var curl = new BookinfoCurl(Command(2));
        var pods = new Dictionary<string, int>();

        for (var i = 0; i < 60; i++)
        {
            var (status, body, response) = await curl.SendAsync();
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
            using var json = JsonDocument.Parse(body);
            var pod = json.RootElement.GetProperty("podname").GetString()!;
            pods[pod] = pods.GetValueOrDefault(pod) + 1;
            var reviews = json.RootElement.GetProperty("reviews");
            Assert.Equal(2, reviews.GetArrayLength());
            if (pod == "reviews-v1")
            {
                Assert.False(reviews[0].TryGetProperty("rating", out _));
            }
            else
            {
                Assert.Equal("reviews-v3", pod);
                Assert.Equal("red", reviews[0].GetProperty("rating").GetProperty("color").GetString());
                Assert.Equal(5, reviews[0].GetProperty("rating").GetProperty("stars").GetInt32());
                Assert.Equal(4, reviews[1].GetProperty("rating").GetProperty("stars").GetInt32());
            }
        }

        // 60 draws at 80/20: both appear except with probability 0.8^60 ≈ 1.5e-6. The split itself is measured
        // with more requests in BookinfoYamlEquivalenceTests.
        Assert.Equal(["reviews-v1", "reviews-v3"], pods.Keys.Order());
        Assert.True(pods["reviews-v1"] > pods["reviews-v3"], $"v1 {pods["reviews-v1"]}, v3 {pods["reviews-v3"]}");
    }

    /// <summary>3: end-user: jason always gets v2, black stars from ratings.</summary>
    [Fact]
    public async Task Step3_Jason_AlwaysV2WithBlackStars()
    {
        using var curl = new BookinfoCurl(Command(3));

        for (var i = 0; i < 5; i++)
        {
            var (status, body, response) = await curl.SendAsync();
            response.Dispose();
            Assert.Equal(HttpStatusCode.OK, status);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("reviews-v2", json.RootElement.GetProperty("podname").GetString());
            var rating = json.RootElement.GetProperty("reviews")[0].GetProperty("rating");
            Assert.Equal("black", rating.GetProperty("color").GetString());
            Assert.Equal(5, rating.GetProperty("stars").GetInt32());
        }
    }

    /// <summary>4: the API without a token: 403 RBAC: access denied (Istio's AuthorizationPolicy answer).</summary>
    [Fact]
    public async Task Step4_ApiWithoutToken_403RbacAccessDenied()
    {
        using var curl = new BookinfoCurl(Command(4));

        var (status, body, response) = await curl.SendAsync();

        response.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("RBAC: access denied", body);
    }

    /// <summary>5: the API with the printed token: 200 and the book list.</summary>
    [Fact]
    public async Task Step5_ApiWithPrintedToken_200BookList()
    {
        using var curl = new BookinfoCurl(Command(5));

        var (status, body, response) = await curl.SendAsync();

        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        using var json = JsonDocument.Parse(body);
        var book = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(0, book.GetProperty("id").GetInt32());
        Assert.Equal("The Comedy of Errors", book.GetProperty("title").GetString());
    }

    private string Command(int step) => Commands(Tour.Banner(fixture.Demo))[step - 1];

    private static List<string> Commands(string banner)
    {
        var commands = new List<string>();
        foreach (Match match in Regex.Matches(banner, @"^\s+\d\. (curl .+?)\r?$", RegexOptions.Multiline))
        {
            commands.Add(match.Groups[1].Value);
        }

        return commands;
    }
}
