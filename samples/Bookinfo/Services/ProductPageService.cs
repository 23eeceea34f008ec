using System.Net;
using System.Text;
using System.Text.Json;
using Bookinfo.Demo;

namespace Bookinfo.Services;

/// <summary>
/// Bookinfo's productpage: the HTML page (<c>/productpage</c>) and the JSON API (<c>/api/v1/products</c>,
/// <c>/api/v1/products/{id}</c>, <c>/api/v1/products/{id}/reviews</c>, <c>/api/v1/products/{id}/ratings</c>).
/// It calls details and ratings directly and reviews <b>through the gateway</b> (the role the mesh plays in Istio), so
/// the reviews routing applies to the page too: the <c>end-user</c> header is passed on, as Istio's productpage does.
/// </summary>
internal sealed class ProductPageService(HttpClient client, Uri details, Uri ratings, Uri gateway)
{
    // Istio's productpage propagates the user and the trace context to the services it calls.
    private static readonly string[] PropagatedHeaders = ["end-user", "x-request-id", "traceparent", "tracestate"];

    public void Map(WebApplication app)
    {
        app.MapGet("/health", () => Results.Json(new { status = "Product page is healthy" }));
        app.MapGet("/api/v1/products", () => Results.Json(new[] { new { id = 0, title = BookCatalog.Title, descriptionHtml = BookCatalog.DescriptionHtml } }));
        app.MapGet("/api/v1/products/{id}", (string id, HttpContext context) => PassThroughAsync(context, new Uri(details, $"/details/{Uri.EscapeDataString(id)}"), viaGateway: false));
        app.MapGet("/api/v1/products/{id}/reviews", (string id, HttpContext context) => PassThroughAsync(context, new Uri(gateway, $"/reviews/{Uri.EscapeDataString(id)}"), viaGateway: true));
        app.MapGet("/api/v1/products/{id}/ratings", (string id, HttpContext context) => PassThroughAsync(context, new Uri(ratings, $"/ratings/{Uri.EscapeDataString(id)}"), viaGateway: false));
        app.MapGet("/productpage", RenderAsync);
    }

    private async Task PassThroughAsync(HttpContext context, Uri uri, bool viaGateway)
    {
        var (status, body) = await GetAsync(context, uri, viaGateway);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private async Task<(int Status, string Body)> GetAsync(HttpContext context, Uri uri, bool viaGateway)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (viaGateway)
        {
            request.Headers.Host = BookinfoDemo.Host;
        }

        foreach (var name in PropagatedHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        try
        {
            using var response = await client.SendAsync(request, context.RequestAborted);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(context.RequestAborted));
        }
        catch (HttpRequestException ex)
        {
            return (StatusCodes.Status503ServiceUnavailable, JsonSerializer.Serialize(new { error = ex.Message }));
        }
    }

    private async Task RenderAsync(HttpContext context)
    {
        var (detailsStatus, detailsBody) = await GetAsync(context, new Uri(details, "/details/0"), viaGateway: false);
        var (reviewsStatus, reviewsBody) = await GetAsync(context, new Uri(gateway, "/reviews/0"), viaGateway: true);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Simple Bookstore App</title></head>\n<body>\n");
        html.Append("<h2>").Append(WebUtility.HtmlEncode(BookCatalog.Title)).Append("</h2>\n<p>").Append(BookCatalog.DescriptionHtml).Append("</p>\n");
        AppendDetails(html, detailsStatus, detailsBody);
        AppendReviews(html, reviewsStatus, reviewsBody);
        html.Append("</body>\n</html>\n");
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    private static void AppendDetails(StringBuilder html, int status, string body)
    {
        html.Append("<h4>Book Details</h4>\n");
        if (status != StatusCodes.Status200OK)
        {
            html.Append("<p>Error fetching product details!</p>\n");
            return;
        }

        using var json = JsonDocument.Parse(body);
        html.Append("<dl>\n");
        foreach (var field in json.RootElement.EnumerateObject())
        {
            html.Append("<dt>").Append(WebUtility.HtmlEncode(field.Name)).Append(":</dt><dd>").Append(WebUtility.HtmlEncode(field.Value.ToString())).Append("</dd>\n");
        }

        html.Append("</dl>\n");
    }

    private static void AppendReviews(StringBuilder html, int status, string body)
    {
        html.Append("<h4>Book Reviews</h4>\n");
        if (status != StatusCodes.Status200OK)
        {
            html.Append("<p>Error fetching product reviews! (").Append(status).Append(")</p>\n");
            return;
        }

        using var json = JsonDocument.Parse(body);
        foreach (var review in json.RootElement.GetProperty("reviews").EnumerateArray())
        {
            html.Append("<blockquote><p>").Append(WebUtility.HtmlEncode(review.GetProperty("text").GetString())).Append("</p>\n<small>")
                .Append(WebUtility.HtmlEncode(review.GetProperty("reviewer").GetString())).Append("</small>\n");
            if (review.TryGetProperty("rating", out var rating))
            {
                if (rating.TryGetProperty("stars", out var stars))
                {
                    var color = rating.GetProperty("color").GetString();
                    html.Append("<font color=\"").Append(color).Append("\">").Append('★', stars.GetInt32()).Append('☆', 5 - stars.GetInt32()).Append("</font>\n");
                }
                else
                {
                    html.Append("<p><i>Ratings service is currently unavailable</i></p>\n");
                }
            }

            html.Append("</blockquote>\n");
        }

        html.Append("<dl><dt>Reviews served by:</dt><dd><u>").Append(WebUtility.HtmlEncode(json.RootElement.GetProperty("podname").GetString())).Append("</u></dd></dl>\n");
    }
}
