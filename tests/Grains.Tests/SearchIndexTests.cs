using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Grains.Tests;

public sealed class ProductSearchIndexTests
{
    private static readonly string[] Words = ["taladro", "martillo", "pintura", "tubo", "cable", "tornillo", "brocha", "llave", "cemento", "lija", "sierra", "nivel"];

    [Fact]
    public void Batched_removals_and_changes_leave_the_index_answering_as_a_fresh_build_of_the_same_products()
    {
        const int dimensions = 32;
        var random = new Random(11);
        float[] Vector()
        {
            var v = Enumerable.Range(0, dimensions).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            return v;
        }

        string Text(int i) => $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} referencia {i}";

        var products = Enumerable.Range(0, 2000).ToDictionary(_ => Guid.NewGuid(), i => new ProductSearchIndex.Entry(Guid.Empty, Text(i), Vector()));
        var current = products.ToDictionary(p => p.Key, p => p.Value with { ProductId = p.Key });
        using var changed = new ProductSearchIndex();
        changed.Apply([], current.Values.ToList());

        var ids = current.Keys.ToList();
        var removed = ids.Take(150).ToList();
        var renamed = ids.Skip(150).Take(300).Select(id => current[id] with { Text = Text(-1), Vector = Vector() }).ToList();
        var added = Enumerable.Range(0, 80).Select(i => new ProductSearchIndex.Entry(Guid.NewGuid(), Text(5000 + i), Vector())).ToList();
        changed.Apply(removed, [.. renamed, .. added]);
        removed.ForEach(id => current.Remove(id));
        foreach (var entry in renamed.Concat(added))
        {
            current[entry.ProductId] = entry;
        }

        using var fresh = new ProductSearchIndex();
        fresh.Apply([], current.Values.Reverse().ToList());
        Assert.Equal(fresh.Count, changed.Count);
        Assert.All(current.Values, e => Assert.True(changed.Holds(e.ProductId, e.Text)));
        Assert.All(removed, id => Assert.False(changed.Contains(id)));
        for (var q = 0; q < 30; q++)
        {
            var query = $"{Words[q % Words.Length]} {Words[(q * 7) % Words.Length]}";
            var vector = Vector();
            Assert.Equal(fresh.Search(query, vector, 20), changed.Search(query, vector, 20));
        }
    }
}

/// <summary>The TenantGrain's index after imports, against an index built from scratch from the same catalog.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SearchIndexTests(ClusterFixture fixture)
{
    private static readonly string[] Queries = ["taladro inalambrico", "pintura blanca", "tubo de pvc", "cable de cobre", "escalera plegable",
        "llave ajustable", "candado de acero", "sierra circular bosch", "guantes", "martillo economico"];

    private static byte[] Catalog(int rows, int stockSeed, int? renamed = null, int? left = null)
    {
        string[] nouns = ["taladro", "martillo", "pintura", "tubo", "cable", "tornillo", "brocha", "llave", "cemento", "lija", "escalera", "candado", "guantes"];
        string[] adjectives = ["inalambrico", "galvanizado", "blanco", "reforzado", "economico", "de acero", "de cobre", "de pvc", "plegable", "ajustable"];
        var names = new Random(3);
        var stocks = new Random(stockSeed);
        var csv = new StringBuilder("sku,nombre,descripcion,precio,stock,categoria\n");
        for (var i = 1; i <= rows; i++)
        {
            var noun = nouns[names.Next(nouns.Length)];
            var adjective = adjectives[names.Next(adjectives.Length)];
            var stock = stocks.Next(500);
            if (i == left)
            {
                continue;
            }

            var name = i == renamed ? $"Sierra circular Bosch {i}" : $"{noun} {adjective} {i}";
            csv.Append(CultureInfo.InvariantCulture, $"S-{i:D5},{name},\"{noun} {adjective}, referencia {i}\",{1000 + i},{stock},{noun}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    [Fact]
    public async Task After_a_stock_only_import_search_answers_as_a_fresh_index_would_and_a_rename_is_found()
    {
        var admin = await Scenario.RegisterAsync(fixture.Grains);
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(admin.EmpresaId);
        var search = fixture.Grains.GetGrain<ICatalogSearchGrain>(admin.EmpresaId);
        Assert.Equal(400, (await tenant.ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(ImportMode.Replace, Catalog(400, 1)))).Summary!.Created);
        await AssertSameAsFreshBuildAsync(tenant, search); // the first search builds the index

        var restocked = (await tenant.ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(ImportMode.Replace, Catalog(400, 2)))).Summary!;
        Assert.True(restocked.Updated > 350, $"{restocked.Updated} updated");
        await AssertSameAsFreshBuildAsync(tenant, search);

        var renamed = (await tenant.ImportCatalogAsync(admin.AsAdmin(), new ImportRequest(ImportMode.Replace, Catalog(400, 2, renamed: 7, left: 9)))).Summary!;
        Assert.Equal((1, 1), (renamed.Updated, renamed.Deactivated));
        var found = (await search.SearchProductsAsync("sierra circular bosch", 3)).Value!;
        Assert.Equal(("S-00007", "Sierra circular Bosch 7"), (found[0].Product.Sku, found[0].Product.Name));
        Assert.DoesNotContain((await search.SearchProductsAsync("referencia 9", 50)).Value!, m => m.Product.Sku == "S-00009");
        await AssertSameAsFreshBuildAsync(tenant, search);
    }

    private static async Task AssertSameAsFreshBuildAsync(ITenantGrain tenant, ICatalogSearchGrain search)
    {
        var products = (await tenant.ListProductsAsync(new ProductQuery(null, null, true, null, 1, 1000))).Items;
        var generator = new HashingEmbeddingGenerator();
        var vectors = await generator.GenerateAsync(products.Select(ProductVectors.ContentOf));
        using var fresh = new ProductSearchIndex();
        fresh.Apply([], products.Select((p, i) => new ProductSearchIndex.Entry(p.Id, ProductVectors.ContentOf(p), ProductVectors.Normalized(vectors[i].Vector.ToArray()))).ToList());
        foreach (var query in Queries)
        {
            var queryVector = ProductVectors.Normalized((await generator.GenerateAsync([query]))[0].Vector.ToArray());
            var expected = fresh.Search(query, queryVector, 10).Select(h => (h.ProductId, Math.Round(h.Score, 5))).ToList();
            var actual = (await search.SearchProductsAsync(query, 10)).Value!.Select(m => (m.Product.Id, m.Score)).ToList();
            Assert.Equal(expected, actual);
        }
    }
}
