namespace Gateway.Middleware.PackageTests.Infrastructure;

/// <summary>Every package test shares one pack of src/Gateway.Middleware (packing takes most of the time).</summary>
[CollectionDefinition(Name)]
public sealed class PackageTestGroup : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed Gateway.Middleware";
}
