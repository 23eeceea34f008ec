namespace Bookinfo.Services;

/// <summary>The data Istio's Bookinfo services answer with (one book, two reviewers).</summary>
internal static class BookCatalog
{
    public const string Title = "The Comedy of Errors";

    public const string DescriptionHtml =
        "<a href=\"https://en.wikipedia.org/wiki/The_Comedy_of_Errors\">Wikipedia Summary</a>: The Comedy of Errors is one of "
        + "<b>William Shakespeare's</b> early plays. It is his shortest and one of his most farcical comedies, with a major part "
        + "of the humour coming from slapstick and mistaken identity, in addition to puns and word play.";

    public static readonly (string Reviewer, string Text, int Stars)[] Reviews =
    [
        ("Reviewer1", "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!", 5),
        ("Reviewer2", "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.", 4),
    ];

    /// <summary>What details answers for <c>/details/{id}</c>.</summary>
    public static object Details(int id) => new Dictionary<string, object>
    {
        ["id"] = id,
        ["author"] = "William Shakespeare",
        ["year"] = 1595,
        ["type"] = "paperback",
        ["pages"] = 200,
        ["publisher"] = "PublisherA",
        ["language"] = "English",
        ["ISBN-10"] = "1234567890",
        ["ISBN-13"] = "123-1234567890",
    };

    /// <summary>What ratings answers for <c>/ratings/{id}</c>.</summary>
    public static object Ratings(int id) => new
    {
        id,
        ratings = new Dictionary<string, int> { [Reviews[0].Reviewer] = Reviews[0].Stars, [Reviews[1].Reviewer] = Reviews[1].Stars },
    };
}
