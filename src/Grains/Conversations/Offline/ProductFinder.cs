using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Finds the product an act is about and shows what it found: a session product, the one search hit
/// that stands out, a choice to offer, the closest products when nothing fits, or a search's options.
/// </summary>
public sealed class ProductFinder(SalesTools tools, Replies say, AgentSettings settings, CatalogReading reading, TurnAnswer answer)
{
    /// <summary>The message lists several items: each takes its best match rather than a question per item.</summary>
    public bool ManyItems { get; init; }

    public bool Inventory => settings.Type == ChatTypes.Inventory;

    /// <summary>The product a target names, or null when the answer now asks which one (or says there is none).</summary>
    public async Task<Product?> ResolveAsync(Target target, int? quantity)
    {
        switch (target)
        {
            case Target.Product p:
                return await tools.ProductAsync(p.Id) is { Active: true } product ? product : null;
            case Target.Either either:
                OfferChoice(await tools.ActiveProductsAsync(either.Ids), quantity);
                return null;
            case Target.Named named:
                return await ResolveNamedAsync(named.Query, quantity);
            default:
                answer.Say(say.WhichProduct, ChatTypes.Sale);
                return null;
        }
    }

    private async Task<Product?> ResolveNamedAsync(string query, int? quantity)
    {
        var matches = await tools.MatchAsync(query);
        var ranked = Ranking.Rank(matches, query, reading, null);
        if (Ranking.Single(ranked) is { } single)
        {
            return single;
        }

        // "el champú head & shoulders grande": the largest of the family that fits the other words.
        var size = Sizes.Wanted(SpanishAnalyzer.Terms(query));
        if (size != 0 && Sizes.Pick(ranked.Where(r => r.Coverage >= ranked[0].Coverage * 0.75).Select(r => r.Product).ToList(), p => p.Name, size) is { } sized)
        {
            return sized;
        }

        if (ranked.Count > 0 && ManyItems && ranked[0].Coverage >= 0.5)
        {
            return ranked[0].Product;
        }

        // "el shampoo de avena no sirve…" → "entonces dame el antipulgas": the antipulgas that is a shampoo too.
        if (ranked.Count > 1 && tools.State.Focus is { } focusId && await tools.ProductAsync(focusId) is { } inFocus)
        {
            var kind = SpanishAnalyzer.Terms(inFocus.Name).Take(1).ToList();
            var near = ranked.Where(r => r.Coverage >= ranked[0].Coverage - 0.001 && r.Product.Id != inFocus.Id
                && SpanishAnalyzer.Terms(r.Product.Name).Take(1).SequenceEqual(kind)).ToList();
            if (near.Count == 1)
            {
                return near[0].Product;
            }
        }

        if (ranked.Count > 0)
        {
            OfferChoice(ranked.Take(4).Select(r => r.Product).ToList(), quantity);
            return null;
        }

        ShowNothing(query, matches);
        return null;
    }

    public void OfferChoice(List<Product> choices, int? quantity)
    {
        tools.Show(choices);
        answer.Products = choices;
        answer.Say(say.Options(choices, null), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which, quantity);
    }

    private void ShowNothing(string query, IReadOnlyList<ProductMatch> matches)
    {
        var closest = Ranking.Closest(matches, null);
        if (closest.Count == 0)
        {
            answer.Say(say.NothingFor(query), ChatTypes.Inventory);
            return;
        }

        tools.Show(closest);
        answer.Products = closest;
        answer.Say(say.Closest(query, closest), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which);
    }

    /// <summary>One product shown and in focus; the reply asks how many (or, out of stock, about an alternative).</summary>
    public void Show(Product product, string text)
    {
        var asks = Focus(product);
        answer.Say(text, ChatTypes.Inventory, asks ? say.HowMany : null);
        tools.Ask(asks ? Asked.Add : null);
    }

    /// <summary>The product becomes the one in focus and the one shown; true when the reply should ask how many.</summary>
    public bool Focus(Product product)
    {
        tools.FocusOn(product.Id);
        if (!tools.State.Shown.Contains(product.Id))
        {
            tools.Show([product]);
        }

        answer.Products = [product];
        return !Inventory && product.Stock > 0 && tools.State.Cart.All(c => c.ProductId != product.Id);
    }

    public async Task SearchAsync(string query, decimal? maxPrice, bool cheapest)
    {
        tools.Searched(query);
        var matches = await tools.MatchAsync(query);
        var ranked = Ranking.Rank(matches, query, reading, maxPrice);
        if (ranked.Count == 0)
        {
            if (maxPrice is not null && Ranking.Rank(matches, query, reading, null).Count > 0)
            {
                answer.Say(say.NothingFor($"{query} hasta {say.Money(maxPrice.Value)}"), ChatTypes.Inventory);
                return;
            }

            ShowNothing(query, matches);
            return;
        }

        // A browse ("¿qué jeans tienen?") shows up to five that fit as well as the best; a precise query, its best three.
        var full = ranked.TakeWhile(r => r.Coverage >= ranked[0].Coverage - 0.001).Count();
        var products = ranked.Take(full > 3 ? Math.Min(full, 5) : 3).Select(r => r.Product).ToList();
        if (cheapest)
        {
            products = [ranked.Where(r => r.Coverage >= ranked[0].Coverage - 0.001).MinBy(r => r.Product.Price)!.Product];
        }

        if (products.Count == 1)
        {
            Show(products[0], say.Options(products, maxPrice));
            return;
        }

        tools.Show(products);
        answer.Products = products;
        answer.Say(say.Options(products, maxPrice), ChatTypes.Inventory, say.WhichOne);
        tools.Ask(Asked.Which);
    }
}
