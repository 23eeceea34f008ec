namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>One Bookinfo sample and one YAML gateway for every Bookinfo test class (both start in about a second).</summary>
[CollectionDefinition(Name)]
public sealed class BookinfoSamples : ICollectionFixture<BookinfoFixture>
{
    public const string Name = "Bookinfo";
}
