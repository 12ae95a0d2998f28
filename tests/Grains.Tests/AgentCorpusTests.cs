using System.Globalization;
using System.Text;
using System.Text.Json;
using AgenteVendedor.Catalog;
using AgenteVendedor.Conversations;
using AgenteVendedor.Sales;
using AgenteVendedor.Testing;
using AgenteVendedor.Text;
using Xunit.Abstractions;

namespace AgenteVendedor.Grains.Tests;

/// <summary>
/// The offline agent over the dialogue corpus in tests/eval: every <c>*_dialogos.jsonl</c> beside its
/// catalog (<c>name.csv</c>) and FAQ (<c>name_faq.json</c>), each dialogue in an empresa of its own
/// with the catalog's stock as written. A dialogue passes when the one order placed holds exactly the
/// units it expects (or none is placed when it expects none) and every reply it checks says one of
/// the facts it names. Prints the pass rate by catalog and by category.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AgentCorpusTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>What the customer answers when the agent asks for it (the dialogues never write it).</summary>
    private static readonly Dictionary<string, string> CustomerAnswers = new()
    {
        [Awaiting.Name] = "Carlos Gómez",
        [Awaiting.Phone] = "300 555 1234",
        [Awaiting.Address] = "Calle 10 # 5-20, Bogotá",
        [Awaiting.Confirmation] = "sí",
    };

    private const double RequiredPassRate = 0.90;

    private readonly IGrainFactory _grains = fixture.Grains;

    public sealed record Dialogue(string Corpus, string Id, string Category, List<string> Turns, Dictionary<string, int> Expected, List<(int Turn, List<string> AnyOf)> Checks);

    public sealed record Result(Dialogue Dialogue, bool Passed, string Why, List<(string Customer, string Agent)> Transcript);

    public static IEnumerable<Dialogue> Corpus()
    {
        var folder = Path.Combine(Repository.Root, "tests", "eval");
        foreach (var file in Directory.GetFiles(folder, "*_dialogos.jsonl").Order(StringComparer.Ordinal))
        {
            var corpus = Path.GetFileName(file)[..^"_dialogos.jsonl".Length];
            foreach (var line in File.ReadLines(file).Where(l => l.Trim().Length > 0))
            {
                var d = JsonDocument.Parse(line).RootElement;
                var checks = d.TryGetProperty("verificar", out var v)
                    ? v.EnumerateArray().Select(c => (c.GetProperty("turno").GetInt32(), c.GetProperty("alguno").EnumerateArray().Select(a => a.GetString()!).ToList())).ToList()
                    : [];
                yield return new Dialogue(corpus, d.GetProperty("id").GetString()!,
                    d.TryGetProperty("categoria", out var c2) ? c2.GetString()! : "muestra",
                    d.GetProperty("turnos").EnumerateArray().Select(t => t.GetString()!).ToList(),
                    d.GetProperty("esperado").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32()),
                    checks);
            }
        }
    }

    [Fact]
    public async Task The_offline_agent_completes_the_dialogue_corpus()
    {
        var dialogues = Corpus().ToList();
        Assert.True(dialogues.Count >= 100, $"the corpus has {dialogues.Count} dialogues");
        var results = new List<Result>();
        // Each dialogue has its own empresa: they run side by side, a few at a time.
        foreach (var batch in dialogues.Chunk(6))
        {
            results.AddRange(await Task.WhenAll(batch.Select(RunAsync)));
        }

        var report = Report(results);
        output.WriteLine(report);
        Console.WriteLine(report);
        // ./test.sh prints the pass rates from here after the run.
        var folder = Path.Combine(Repository.Root, ".data", "test");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "agent-corpus.txt"), report);
        var rate = results.Count(r => r.Passed) / (double)results.Count;
        Assert.True(rate >= RequiredPassRate, $"pass rate {rate:P1} is below {RequiredPassRate:P0}");
    }

    private static string Report(List<Result> results)
    {
        var text = new StringBuilder();
        foreach (var failed in results.Where(r => !r.Passed))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"FAIL {failed.Dialogue.Corpus}/{failed.Dialogue.Id} [{failed.Dialogue.Category}]: {failed.Why}");
            foreach (var (customer, agent) in failed.Transcript)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"   > {customer}");
                text.AppendLine(CultureInfo.InvariantCulture, $"   < {agent.ReplaceLineEndings(" / ")}");
            }
        }

        void Line(string label, IEnumerable<Result> group)
        {
            var list = group.ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"[agent] {label}: {list.Count(r => r.Passed)}/{list.Count} ({list.Count(r => r.Passed) / (double)list.Count:P1})");
        }

        foreach (var corpus in results.GroupBy(r => r.Dialogue.Corpus).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Line($"catalog {corpus.Key}", corpus);
        }

        foreach (var category in results.GroupBy(r => r.Dialogue.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Line($"category {category.Key}", category);
        }

        Line("offline agent, all dialogues", results);
        return text.ToString();
    }

    private async Task<Result> RunAsync(Dialogue dialogue)
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var tenant = _grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        var csv = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "tests", "eval", dialogue.Corpus + ".csv"));
        var imported = await tenant.ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(ImportMode.Replace, csv));
        Assert.True(imported.Summary is not null, $"{dialogue.Corpus}.csv: {string.Join("; ", imported.Errors.Take(3))}");
        await CorpusSetup.ApplyFaqAsync(_grains, admin, Path.Combine(Repository.Root, "tests", "eval", dialogue.Corpus + "_faq.json"));

        var conversation = _grains.GetGrain<IConversationGrain>(ConversationKey.For(admin.EmpresaId, "api", Guid.NewGuid().ToString("N")));
        var transcript = new List<(string, string)>();
        var orders = new List<Guid>();
        var failedChecks = new List<string>();
        for (var i = 0; i < dialogue.Turns.Count; i++)
        {
            var next = dialogue.Turns[i];
            var replies = new StringBuilder();
            while (next is not null)
            {
                var outcome = await conversation.HandleInboundAsync(new ChatTurn(next, admin.AsAdmin()));
                if (outcome.Value is not { } reply)
                {
                    return new Result(dialogue, false, $"turn {i} refused: {outcome.Problem?.Message}", transcript);
                }

                transcript.Add((next, reply.Text));
                replies.Append(reply.Text).Append('\n');
                if (reply.OrderId is { } placed)
                {
                    orders.Add(placed);
                }

                var awaiting = reply.Awaiting;
                next = awaiting is null || (awaiting == Awaiting.Confirmation && i < dialogue.Turns.Count - 1) ? null : CustomerAnswers[awaiting];
            }

            foreach (var (turn, anyOf) in dialogue.Checks.Where(c => c.Turn == i))
            {
                var said = SpanishText.Fold(replies.ToString());
                if (!anyOf.Any(a => said.Contains(SpanishText.Fold(a), StringComparison.Ordinal)))
                {
                    failedChecks.Add($"reply to turn {turn} says none of {string.Join(" | ", anyOf)}");
                }
            }
        }

        var placedItems = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in orders.Distinct())
        {
            var order = await _grains.GetGrain<ISalesLedgerGrain>(admin.EmpresaId).GetOrderAsync(id);
            foreach (var item in order!.Items)
            {
                placedItems[item.Sku] = placedItems.GetValueOrDefault(item.Sku) + item.Quantity;
            }
        }

        string Describe(IEnumerable<KeyValuePair<string, int>> items) =>
            items.Any() ? string.Join(", ", items.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}×{e.Value}")) : "nothing";

        var orderRight = orders.Distinct().Count() <= 1
            && placedItems.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(dialogue.Expected.OrderBy(e => e.Key, StringComparer.Ordinal));
        var why = orderRight ? "" : $"expected {Describe(dialogue.Expected)}, placed {Describe(placedItems)} in {orders.Distinct().Count()} order(s)";
        if (failedChecks.Count > 0)
        {
            why = string.Join("; ", failedChecks.Prepend(why).Where(w => w.Length > 0));
        }

        return new Result(dialogue, orderRight && failedChecks.Count == 0, why, transcript);
    }
}

internal static class CorpusSetup
{
    /// <summary>The catalog's FAQ (name_faq.json: [{pregunta, respuesta}]) as the empresa's preguntas frecuentes, when the file exists.</summary>
    public static async Task ApplyFaqAsync(IGrainFactory grains, Accounts.SignedInUser admin, string file)
    {
        if (!File.Exists(file))
        {
            return;
        }

        var entries = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.EnumerateArray()
            .Select(e => new Tenancy.FaqEntry(e.GetProperty("pregunta").GetString()!, e.GetProperty("respuesta").GetString()!)).ToList();
        Scenario.Ok(await grains.GetGrain<Tenancy.IEmpresaGrain>(admin.EmpresaId)
            .UpdateProfileAsync(admin.AsAdmin(), new Tenancy.EmpresaSettings(null, null, null, null, null, null, null, entries)));
    }
}
