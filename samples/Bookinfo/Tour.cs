using Bookinfo.Demo;

namespace Bookinfo;

/// <summary>The tour printed at start-up: five curl commands that work as written, and what each shows.</summary>
public static class Tour
{
    /// <summary>The five steps: the command, and what it shows.</summary>
    public static IReadOnlyList<(string Command, string Shows)> Steps(BookinfoDemo demo)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var http = $"http://localhost:{demo.HttpPort}";
        var host = $"-H 'Host: {BookinfoDemo.Host}'";
        return
        [
            ($"curl -s --resolve {BookinfoDemo.Host}:{demo.HttpsPort}:127.0.0.1 --cacert {demo.CaPath} https://{BookinfoDemo.Host}:{demo.HttpsPort}/productpage",
                "the product page over HTTPS (the demo CA signed bookinfo.example.com's certificate): details, and reviews served by reviews-v1 (no stars) or, one time in five, reviews-v3 (red stars)"),
            ($"curl -s {host} {http}/reviews/0",
                "reviews through the gateway, over mTLS to the pod: \"podname\": \"reviews-v1\" 80 % of the time, \"reviews-v3\" with red stars 20 %"),
            ($"curl -s {host} -H 'end-user: jason' {http}/reviews/0",
                "always \"podname\": \"reviews-v2\", black stars: the end-user header routes jason to v2"),
            ($"curl -si {host} {http}/api/v1/products",
                "403 RBAC: access denied: the API needs a token from the demo issuer"),
            ($"curl -s {host} -H 'Authorization: Bearer {demo.Token}' {http}/api/v1/products",
                "200 and the book list: the demo issuer's token for jason (valid 12 h) is accepted"),
        ];
    }

    /// <summary>The banner: the gateway's addresses, the services, and the steps.</summary>
    public static string Banner(BookinfoDemo demo)
    {
        ArgumentNullException.ThrowIfNull(demo);
        var steps = Steps(demo);
        var tour = string.Join(Environment.NewLine, steps.Select((step, i) => $"  {i + 1}. {step.Command}{Environment.NewLine}     # {step.Shows}"));
        return $"""

            Gateway.Middleware Bookinfo
              gateway      http://localhost:{demo.HttpPort}  https://localhost:{demo.HttpsPort}   host {BookinfoDemo.Host}
              productpage  http://127.0.0.1:{demo.ProductPage}   details http://127.0.0.1:{demo.Details}   ratings http://127.0.0.1:{demo.Ratings}
              reviews      v1 https://127.0.0.1:{demo.ReviewsV1}   v2 :{demo.ReviewsV2}   v3 :{demo.ReviewsV3}   (mTLS: a client certificate from the demo CA is required)
              demo CA      {demo.CaPath}

            Try:
            {tour}

            Ctrl+C stops everything.
            """;
    }
}
