using System.Globalization;
using AgenteVendedor.Catalog;
using AgenteVendedor.Conversations.Offline;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Testing;
using Xunit.Abstractions;

namespace AgenteVendedor.Grains.Tests.Interpreter;

public sealed class DebugProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var file = Environment.GetEnvironmentVariable("AV_PROBE_CATALOG");
        if (file is null)
        {
            return;
        }

        var result = CatalogCsvReader.Read(File.ReadAllBytes(Path.Combine(Repository.Root, "tests", "eval", file)), CultureInfo.GetCultureInfo("es-CO"));
        var index = new Bm25Index();
        var names = new Dictionary<Guid, string>();
        foreach (var row in result.Rows)
        {
            var id = Guid.NewGuid();
            names[id] = row.Sku + " " + row.Name;
            index.Upsert(id, $"{row.Name} | {row.Category} | {row.Description} | {string.Join(' ', row.Keywords ?? [])}");
        }
        foreach (var q in Environment.GetEnvironmentVariable("AV_PROBE_QUERIES")!.Split('|'))
        {
            var reading = index.Read(q);
            output.WriteLine($"Q {q}: known={string.Join(",", reading.Known.Select(k => k.Key + "->" + k.Value))} pairs={string.Join(",", reading.Pairs)}");
            output.WriteLine("  expand: " + string.Join(", ", index.Expand(q).Select(e => $"{e.Key}:{e.Value:F1}")));
            foreach (var (id, score) in index.Search(q, 5))
            {
                output.WriteLine($"  {score:F2} {names[id]}");
            }

            var u = Utterance.Read(q, reading);
            output.WriteLine("  words: " + string.Join(" ", u.Words));
        }
    }
}
