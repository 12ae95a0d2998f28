using AgenteVendedor.Catalog;
using AgenteVendedor.Retrieval;
using AgenteVendedor.Text;

namespace AgenteVendedor.Conversations.Offline;

/// <summary>
/// Answers questions about a product — its price, its stock, what it is, or a topic its description
/// may answer ("¿es impermeable?") — from the catalog alone, and hands over when the description is silent.
/// </summary>
public sealed class ProductQuestions(SalesTools tools, Replies say, CatalogReading reading, ProductFinder finder, TurnAnswer answer)
{
    /// <summary>The product's price, stock or description; for a choice between several, each of them and "which one?".</summary>
    public async Task AboutAsync(Target target, Func<Product, string> describe)
    {
        if (target is Target.Either either)
        {
            var choices = await tools.ActiveProductsAsync(either.Ids);
            tools.Show(choices);
            answer.Products = choices;
            answer.Say(string.Join("\n", choices.Select(describe)), ChatTypes.Inventory, say.WhichOne);
            tools.Ask(Asked.Which);
            return;
        }

        if (await finder.ResolveAsync(target, null) is { } product)
        {
            finder.Show(product, describe(product));
        }
    }

    public async Task AnswerAsync(Act.AskAbout about)
    {
        if (about.Target is Target.Either either)
        {
            await AboutAsync(either, p => say.Describe(p));
            return;
        }

        var (product, topic) = await SubjectAsync(about);
        if (product is null)
        {
            return;
        }

        var asks = finder.Focus(product);
        var sentences = Sentences(product.Description ?? "").ToList();
        if (topic.Count == 0)
        {
            answer.Say($"{say.Describe(product)}\n{say.FromDescription(product, sentences)}", ChatTypes.Inventory, asks ? say.HowMany : null);
            tools.Ask(asks ? Asked.Add : null);
            return;
        }

        var view = ProductView.Of(product);
        var answering = sentences.Where(s => SpanishAnalyzer.Terms(s) is var terms && topic.Any(t => terms.Any(x => Synonyms.Same(t, x) || Language.Phonetic.Near(t, x)))).ToList();
        if (answering.Count == 0 && topic.All(t => view.Terms.Contains(t)))
        {
            answering = sentences.Take(1).ToList();
        }

        if (answering.Count > 0)
        {
            answer.Say($"{say.FromDescription(product, answering)}\n{say.Describe(product)}", ChatTypes.Inventory, asks ? say.HowMany : null);
            tools.Ask(asks ? Asked.Add : null);
            return;
        }

        answer.Say(say.DescriptionSilent(product), ChatTypes.Inventory);
        tools.Ask(Asked.Person);
    }

    /// <summary>The product asked about and the words of the question that are not its name; no product when the answer already says why.</summary>
    private async Task<(Product? Product, IReadOnlyList<string> Topic)> SubjectAsync(Act.AskAbout about)
    {
        if (about.Target is not Target.Named named)
        {
            return (await finder.ResolveAsync(about.Target, null), about.Topic);
        }

        // The question names its product: the best match, and the words that are not its name are the question.
        var ranked = Ranking.Rank(await tools.MatchAsync(named.Query), named.Query, reading, null);
        if (ranked.Count == 0)
        {
            await finder.SearchAsync(named.Query, null, false);
            return (null, []);
        }

        var product = ranked[0].Product;
        var own = ProductView.Of(product);
        return (product, about.Topic.Where(t => !References.Mentions(own, [reading.Known.GetValueOrDefault(t, t)])).ToList());
    }

    private static IEnumerable<string> Sentences(string text) =>
        text.Split(['.', '!', '?', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0).Select(s => TextFit.Cut(s + ".", 400));
}
