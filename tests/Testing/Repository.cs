using System.Reflection;

namespace AgenteVendedor.Testing;

/// <summary>Where the repository and the built product live, as recorded when the tests were built.</summary>
public static class Repository
{
    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string Root => Metadata("RepositoryRoot");

    public static string Configuration => Metadata("Configuration");

    /// <summary>
    /// The evaluation data: ../shared/eval beside the repository when it is there (the canonical copy),
    /// else the copy kept in tests/eval.
    /// </summary>
    public static string EvalFile(string name)
    {
        var shared = Path.Combine(Root, "..", "shared", "eval", name);
        return File.Exists(shared) ? shared : Path.Combine(Root, "tests", "eval", name);
    }

    public static string SiloDll => Built("Silo", "AgenteVendedor.Silo.dll");

    public static string ApiDll => Built("Api", "AgenteVendedor.Api.dll");

    public static string PanelDll => Built("Panel", "AgenteVendedor.Panel.dll");

    private static string Built(string project, string file)
    {
        var path = Path.Combine(Root, "src", project, "bin", Configuration, "net10.0", file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/{project} first ({Configuration}).", path);
    }
}
