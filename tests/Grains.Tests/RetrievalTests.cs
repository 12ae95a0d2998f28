using System.Numerics.Tensors;
using System.Text.Json;
using AgenteVendedor.Accounts;
using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Testing;
using Dapper;
using Xunit.Abstractions;

namespace AgenteVendedor.Grains.Tests;

public sealed class FaissIndexTests
{
    [Fact]
    public void Exact_search_equals_brute_force_and_removal_takes_effect()
    {
        const int dimensions = 64;
        var random = new Random(7);
        float[] RandomUnit()
        {
            var v = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            return v;
        }

        var vectors = Enumerable.Range(0, 500).Select(_ => RandomUnit()).ToArray();
        using var index = new FaissIndex(dimensions);
        index.Add(vectors.SelectMany(v => v).ToArray(), Enumerable.Range(1000, 500).Select(i => (long)i).ToArray());
        Assert.Equal(500, index.Count);

        for (var q = 0; q < 25; q++)
        {
            var query = RandomUnit();
            var expected = vectors.Select((v, i) => (Id: 1000L + i, Score: TensorPrimitives.Dot(v, query)))
                .OrderByDescending(x => x.Score).Take(10).Select(x => x.Id).ToArray();
            Assert.Equal(expected, index.Search(query, 10).Select(h => h.Id).ToArray());
        }

        var best = index.Search(vectors[3], 1)[0];
        Assert.Equal((1003L, 1.0f), (best.Id, MathF.Round(best.Score, 4)));
        Assert.Equal(1, index.Remove([1003L]));
        Assert.NotEqual(1003L, index.Search(vectors[3], 1)[0].Id);
        Assert.Equal(499, index.Count);
        Assert.True(index.Serialize().Length > 499 * dimensions * sizeof(float));
    }
}

[Collection(ClusterCollection.Name)]
public sealed class RetrievalTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    private static string EvalFile(string name) => Repository.EvalFile(name);

    private Task<(SignedInUser Admin, ITenantGrain Tenant)> FerreteriaAsync() => CatalogAsync(EvalFile("ferreteria.csv"));

    private async Task<(SignedInUser Admin, ITenantGrain Tenant)> CatalogAsync(string csv)
    {
        var admin = await Scenario.RegisterAsync(_grains);
        var tenant = _grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        var outcome = await tenant.ImportCatalogAsync(admin.AsAdmin(),
            new ImportRequest(ImportMode.Replace, await File.ReadAllBytesAsync(csv)));
        Assert.NotNull(outcome.Summary);
        return (admin, tenant);
    }

    /// <summary>hit@1, hit@3 and mean reciprocal rank (within the top 5) of the offline search over a query file.</summary>
    private Task<(double Hit1, double Hit3, double Mrr, int Queries)> EvaluateAsync(string file) =>
        EvaluateAsync(EvalFile(file), EvalFile("ferreteria.csv"));

    /// <summary>The catalogs of tests/eval (other than the sample ferretería) that have a query file.</summary>
    public static TheoryData<string> OwnCatalogs() =>
        new(Directory.GetFiles(Path.Combine(Repository.Root, "tests", "eval"), "*_consultas.jsonl")
            .Select(f => Path.GetFileName(f)[..^"_consultas.jsonl".Length]).Where(n => n != "ferreteria").Order(StringComparer.Ordinal));

    /// <summary>Each of our own catalogs with its queries (regional words, needs, typos, paraphrases, attributes): hit@3 at least 0.95.</summary>
    [Theory]
    [MemberData(nameof(OwnCatalogs))]
    public async Task Offline_retrieval_finds_the_products_of_each_catalog(string catalog)
    {
        var folder = Path.Combine(Repository.Root, "tests", "eval");
        var (_, hit3, _, _) = await EvaluateAsync(Path.Combine(folder, catalog + "_consultas.jsonl"), Path.Combine(folder, catalog + ".csv"));
        Assert.True(hit3 >= 0.95, $"{catalog}: hit@3 {hit3:F3} is below 0.95");
    }

    private async Task<(double Hit1, double Hit3, double Mrr, int Queries)> EvaluateAsync(string file, string csv)
    {
        var (admin, tenant) = await CatalogAsync(csv);
        var skus = (await tenant.ListProductsAsync(new ProductQuery(null, null, null, null, 1, 100))).Items.ToDictionary(p => p.Id, p => p.Sku);
        var queries = (await File.ReadAllLinesAsync(file))
            .Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

        double hit1 = 0, hit3 = 0, reciprocal = 0;
        foreach (var query in queries)
        {
            var text = query.GetProperty("consulta").GetString()!;
            var expected = query.GetProperty("esperados").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
            var found = (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync(text, 5)).Value!.Select(m => skus[m.Product.Id]).ToList();
            var rank = found.FindIndex(expected.Contains) + 1;
            hit1 += rank == 1 ? 1 : 0;
            hit3 += rank is >= 1 and <= 3 ? 1 : 0;
            reciprocal += rank > 0 ? 1.0 / rank : 0;
            output.WriteLine($"{(rank == 0 ? "-" : rank.ToString(System.Globalization.CultureInfo.InvariantCulture))}\t{string.Join(",", expected)}\t{text}\t→ {string.Join(",", found)}");
        }

        var n = queries.Count;
        var line = $"[retrieval] offline, {Path.GetFileName(file)}, {n} queries: hit@1 {hit1 / n:F3}, hit@3 {hit3 / n:F3}, MRR {reciprocal / n:F3}";
        output.WriteLine(line);
        Console.WriteLine(line);
        var folder = Path.Combine(Repository.Root, ".data", "test");
        Directory.CreateDirectory(folder);
        await File.AppendAllTextAsync(Path.Combine(folder, "retrieval.txt"), line + Environment.NewLine);
        return (hit1 / n, hit3 / n, reciprocal / n, n);
    }

    [Fact]
    public async Task Offline_retrieval_finds_the_expected_products_for_spanish_queries()
    {
        var (hit1, hit3, mrr, _) = await EvaluateAsync("ferreteria_consultas.jsonl");

        Assert.True(hit1 >= Hit1Lexical, $"hit@1 {hit1:F3} is below {Hit1Lexical}");
        Assert.True(hit3 >= 0.9, $"hit@3 {hit3:F3} is below 0.9");
        Assert.True(mrr >= MrrLexical, $"MRR {mrr:F3} is below {MrrLexical}");
    }

    // Measured with the search as it is (see the [retrieval] lines the tests print), set a little below:
    // ferreteria_consultas.jsonl hit@1 0.833, hit@3 1.000, MRR 0.917;
    // ferreteria_parafrasis.jsonl hit@1 0.275, hit@3 0.375, MRR 0.345 (one query is 0.025).
    private const double Hit1Lexical = 0.80, MrrLexical = 0.89;
    private const double Hit1Paraphrase = 0.25, Hit3Paraphrase = 0.35, MrrParaphrase = 0.32;

    /// <summary>
    /// Queries that share no content word with the product they ask for (paraphrases, synonyms, regional
    /// words, needs): what the ranking does beyond matching the catalog's own words.
    /// </summary>
    [Fact]
    public async Task Offline_retrieval_on_paraphrased_queries_keeps_its_measured_quality()
    {
        var (hit1, hit3, mrr, n) = await EvaluateAsync("ferreteria_parafrasis.jsonl");

        Assert.Equal(40, n);
        Assert.True(hit1 >= Hit1Paraphrase, $"hit@1 {hit1:F3} is below {Hit1Paraphrase}");
        Assert.True(hit3 >= Hit3Paraphrase, $"hit@3 {hit3:F3} is below {Hit3Paraphrase}");
        Assert.True(mrr >= MrrParaphrase, $"MRR {mrr:F3} is below {MrrParaphrase}");
    }

    [Fact]
    public async Task The_index_follows_product_changes_and_reuses_cached_vectors()
    {
        var (admin, tenant) = await FerreteriaAsync();
        Assert.Contains((await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("martillo", 3)).Value!, m => m.Product.Sku == "FER-005");
        await using var connection = await fixture.Database.OpenAsync();
        var cached = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM product_embeddings");

        var created = Scenario.Ok(await tenant.SaveProductAsync(admin.AsAdmin(), null,
            new ProductInput("FER-900", "Escalera de tijera 6 pasos", "Escalera plegable de aluminio", 259000, 4, "Herramientas manuales", true)));
        Assert.Equal("FER-900", (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("escalera de aluminio", 1)).Value![0].Product.Sku);

        var hammer = (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("martillo", 1)).Value![0].Product;
        Scenario.Ok(await tenant.SaveProductAsync(admin.AsAdmin(), hammer.Id,
            new ProductInput(null, "Mazo de goma", "Mazo de caucho para cerámica", hammer.Price, hammer.Stock, hammer.Category, true)));
        Assert.Equal(hammer.Id, (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("mazo de goma", 1)).Value![0].Product.Id);

        Scenario.Ok(await tenant.DeactivateProductAsync(admin.AsAdmin(), created.Id));
        Assert.DoesNotContain((await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("escalera de aluminio", 5)).Value!, m => m.Product.Id == created.Id);

        // Two new texts were embedded; a fresh activation embeds nothing it has seen.
        Assert.Equal(cached + 2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM product_embeddings"));
        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(hammer.Id, (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("mazo de goma", 1)).Value![0].Product.Id);
        Assert.Equal(cached + 2, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM product_embeddings"));
    }

    [Fact]
    public async Task Search_never_crosses_empresas_and_reads_price_and_stock_from_the_catalog()
    {
        var (admin, tenant) = await FerreteriaAsync();
        var other = await Scenario.RegisterAsync(_grains);
        var otherTenant = _grains.GetGrain<ITenantGrain>(other.EmpresaId);
        Scenario.Ok(await otherTenant.SaveProductAsync(other.AsAdmin(), null,
            new ProductInput("OTRA-1", "Taladro de otra empresa", "Para concreto", 1000, 1, null, true)));

        var ours = (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("taladro para concreto", 10)).Value!;
        var theirs = (await _grains.GetGrain<ICatalogSearchGrain>(other.EmpresaId).SearchProductsAsync("taladro para concreto", 10)).Value!;

        Assert.DoesNotContain(ours, m => m.Product.Sku == "OTRA-1");
        Assert.Equal(["OTRA-1"], theirs.Select(m => m.Product.Sku));
        var drill = ours.First(m => m.Product.Sku == "FER-001").Product;
        Scenario.Ok(await tenant.PlaceOrderAsync(admin.AsAdmin(),
            new Sales.OrderRequest(null, [new Sales.OrderLine(drill.Id, 2)], "api", null)));
        Assert.Equal(drill.Stock - 2, (await _grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId).SearchProductsAsync("taladro para concreto", 10)).Value!.First(m => m.Product.Id == drill.Id).Product.Stock);
    }
}
