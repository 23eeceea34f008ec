using System.Text.Json;

namespace Bookinfo.Services;

/// <summary>
/// Bookinfo's reviews service, <c>GET /reviews/{id}</c>: v1 without ratings, v2 with black stars, v3 with red stars
/// (v2 and v3 ask ratings). Every answer names its pod (<c>"podname": "reviews-v2"</c>).
/// </summary>
internal static class ReviewsService
{
    public static void Map(WebApplication app, int version, Uri ratings, HttpClient client)
    {
        var podName = $"reviews-v{version}";
        string? color = version switch { 2 => "black", 3 => "red", _ => null };
        app.MapGet("/health", () => Results.Json(new { status = "Reviews is healthy" }));
        app.MapGet("/reviews/{id}", async (string id, HttpContext context) =>
        {
            Dictionary<string, int>? stars = null;
            string? ratingsError = null;
            if (color is not null)
            {
                (stars, ratingsError) = await GetRatingsAsync(client, new Uri(ratings, $"/ratings/{Uri.EscapeDataString(id)}"), context.RequestAborted);
            }

            var reviews = new List<object>();
            foreach (var (reviewer, text, _) in BookCatalog.Reviews)
            {
                object? rating = color is null ? null
                    : stars is not null && stars.TryGetValue(reviewer, out var count) ? new { stars = count, color }
                    : new { error = ratingsError ?? "Ratings service is currently unavailable" };
                reviews.Add(rating is null ? new { reviewer, text } : new { reviewer, text, rating });
            }

            return Results.Json(new { id, podname = podName, clustername = "null", reviews });
        });
    }

    private static async Task<(Dictionary<string, int>?, string?)> GetRatingsAsync(HttpClient client, Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(uri, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, "Ratings service is currently unavailable");
            }

            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            var stars = new Dictionary<string, int>();
            foreach (var rating in json.RootElement.GetProperty("ratings").EnumerateObject())
            {
                stars[rating.Name] = rating.Value.GetInt32();
            }

            return (stars, null);
        }
        catch (HttpRequestException)
        {
            return (null, "Ratings service is currently unavailable");
        }
    }
}
