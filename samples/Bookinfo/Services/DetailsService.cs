namespace Bookinfo.Services;

/// <summary>Bookinfo's details service: <c>GET /details/{id}</c>.</summary>
internal static class DetailsService
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "Details is healthy" }));
        app.MapGet("/details/{id}", (string id) => int.TryParse(id, out var book)
            ? Results.Json(BookCatalog.Details(book))
            : Results.Json(new { error = "please provide numeric product id" }, statusCode: StatusCodes.Status400BadRequest));
    }
}
