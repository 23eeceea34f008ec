using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Gateway.Middleware.PackageTests.Infrastructure;

namespace Gateway.Middleware.PackageTests;

/// <summary>
/// Issue #9 "Packaging": what <c>dotnet pack</c> puts in Gateway.Middleware's .nupkg and .snupkg — the
/// metadata nuget.org shows, the files a consumer gets, and symbols a debugger can match to the assembly.
/// </summary>
[Collection(PackageTestGroup.Name)]
public sealed class PackageContentsTests
{
    private const string Lib = "lib/net10.0/";

    private readonly PackedPackage _package;

    public PackageContentsTests(PackedPackage package)
    {
        _package = package;
    }

    [Fact]
    public void Nuspec_LicenseReadmeAndMetadata_AsNuGetOrgShowsThem()
    {
        var metadata = ReadNuspec(_package.PackagePath);

        Assert.Equal(PackedPackage.Id, Value(metadata, "id"));
        Assert.Equal(_package.Version, Value(metadata, "version"));
        var license = Element(metadata, "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("Istio", Value(metadata, "description"), StringComparison.Ordinal);
        Assert.Contains("istio", Value(metadata, "tags").Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "authors")));
    }

    [Fact]
    public void Nuspec_Dependencies_OnlyTheThreeRuntimePackagesAndAspNetCore()
    {
        var metadata = ReadNuspec(_package.PackagePath);

        var group = Assert.Single(Element(metadata, "dependencies").Elements(metadata.Name.Namespace + "group"));
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);
        var ids = group.Elements().Select(d => d.Attribute("id")!.Value).Order(StringComparer.Ordinal).ToArray();
        // Build-time packages (the public API analyzer) must not leak to consumers.
        Assert.Equal(["Microsoft.IdentityModel.JsonWebTokens", "OpenTelemetry", "YamlDotNet"], ids);

        var framework = Assert.Single(Element(metadata, "frameworkReferences").Descendants(metadata.Name.Namespace + "frameworkReference"));
        Assert.Equal("Microsoft.AspNetCore.App", framework.Attribute("name")?.Value);
    }

    [Fact]
    public void Package_Files_AssemblyXmlDocsAndReadmeOnly()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);

        var payload = zip.Entries.Select(e => e.FullName)
            .Where(n => !n.StartsWith("_rels/", StringComparison.Ordinal) && !n.StartsWith("package/", StringComparison.Ordinal)
                && n != "[Content_Types].xml" && !n.EndsWith(".nuspec", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["README.md", Lib + "Gateway.Middleware.dll", Lib + "Gateway.Middleware.xml"], payload);

        using var readme = new StreamReader(zip.GetEntry("README.md")!.Open());
        Assert.Equal(File.ReadAllText(Path.Combine(_package.ProjectDirectory, "README.md")), readme.ReadToEnd());
    }

    [Fact]
    public void XmlDocs_EveryPublicTypeDocumented()
    {
        using var zip = ZipFile.OpenRead(_package.PackagePath);
        using var xmlStream = zip.GetEntry(Lib + "Gateway.Middleware.xml")!.Open();
        var documented = XDocument.Load(xmlStream).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .Select(m => m.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        using var pe = new PEReader(new MemoryStream(ReadEntry(zip, Lib + "Gateway.Middleware.dll")));
        var reader = pe.GetMetadataReader();

        var publicTypes = reader.TypeDefinitions.Select(reader.GetTypeDefinition)
            .Where(t => (t.Attributes & TypeAttributes.VisibilityMask) == TypeAttributes.Public)
            .Select(t => $"T:{reader.GetString(t.Namespace)}.{reader.GetString(t.Name).Split('`')[0]}")
            .ToArray();

        Assert.NotEmpty(publicTypes);
        Assert.Contains("M:Microsoft.Extensions.DependencyInjection.GatewayServiceCollectionExtensions.AddGateway(Microsoft.Extensions.DependencyInjection.IServiceCollection)", documented);
        var undocumented = publicTypes.Where(t => !documented.Contains(t)).ToArray();
        Assert.True(undocumented.Length == 0, "public types without a <summary>: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void SymbolPackage_PortablePdbMatchesAssembly_WithCiSourcePaths()
    {
        Assert.True(File.Exists(_package.SymbolPackagePath), $"no .snupkg beside the .nupkg:\n{_package.PackOutput}");
        using var nupkg = ZipFile.OpenRead(_package.PackagePath);
        using var snupkg = ZipFile.OpenRead(_package.SymbolPackagePath);
        Assert.Null(nupkg.GetEntry(Lib + "Gateway.Middleware.pdb"));

        using var pe = new PEReader(new MemoryStream(ReadEntry(nupkg, Lib + "Gateway.Middleware.dll")));
        var debugDirectory = pe.ReadDebugDirectory();
        // Deterministic compilation marks the image reproducible.
        Assert.Contains(debugDirectory, e => e.Type == DebugDirectoryEntryType.Reproducible);
        var codeView = pe.ReadCodeViewDebugDirectoryData(debugDirectory.Single(e => e.Type == DebugDirectoryEntryType.CodeView));

        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(ReadEntry(snupkg, Lib + "Gateway.Middleware.pdb")));
        var pdb = pdbProvider.GetMetadataReader();
        var pdbId = new BlobContentId(pdb.DebugMetadataHeader!.Id);
        Assert.Equal(codeView.Guid, pdbId.Guid);

        // ContinuousIntegrationBuild maps the repository to /_/: no path of the build machine's checkout
        // is baked into the symbols (generated files from the intermediate folder keep theirs).
        var documents = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).ToArray();
        Assert.Contains("/_/src/Gateway.Middleware/Builder/GatewayServerBuilder.cs", documents);
        var leaked = documents.Where(d => d.StartsWith(_package.RepositoryRoot, StringComparison.Ordinal)).ToArray();
        Assert.True(leaked.Length == 0, "checkout paths in the PDB: " + string.Join(", ", leaked));
    }

    private static XElement ReadNuspec(string packagePath)
    {
        using var zip = ZipFile.OpenRead(packagePath);
        var entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = entry.Open();
        var root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static XElement Element(XElement metadata, string name)
        => metadata.Element(metadata.Name.Namespace + name) ?? throw new Xunit.Sdk.XunitException($"nuspec has no <{name}>:\n{metadata}");

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;

    private static byte[] ReadEntry(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new Xunit.Sdk.XunitException($"{name} is not in the package");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
