namespace AgenteVendedor.Language;

/// <summary>
/// The language data files under Language/Data, shipped inside this assembly: tab-separated lines,
/// '#' starts a comment, blank lines are skipped.
/// </summary>
public static class LanguageData
{
    public static IEnumerable<string[]> Rows(string file)
    {
        using var stream = typeof(LanguageData).Assembly.GetManifestResourceStream("language/" + file)
            ?? throw new InvalidOperationException($"The language file {file} is not embedded in {typeof(LanguageData).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            rows.Add(trimmed.Split('\t', StringSplitOptions.TrimEntries));
        }

        return rows;
    }
}
