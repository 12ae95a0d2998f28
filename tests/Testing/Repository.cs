using System.Reflection;

namespace AgenteVendedor.Testing;

/// <summary>Where the repository and the built product live, as recorded when the tests were built.</summary>
public static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    public static string SiloDll => Built("Silo", "AgenteVendedor.Silo.dll");

    public static string ApiDll => Built("Api", "AgenteVendedor.Api.dll");

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/{project} first ({Configuration}).", path);
    }
}
