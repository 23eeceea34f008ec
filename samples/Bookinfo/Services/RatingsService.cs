namespace Bookinfo.Services;

/// <summary>Bookinfo's ratings service: <c>GET /ratings/{id}</c>.</summary>
internal static class RatingsService
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "Ratings is healthy" }));
        app.MapGet("/ratings/{id}", (string id) => int.TryParse(id, out var book)
            ? Results.Json(BookCatalog.Ratings(book))
            : Results.Json(new { error = "please provide numeric product ID" }, statusCode: StatusCodes.Status400BadRequest));
    }
}
