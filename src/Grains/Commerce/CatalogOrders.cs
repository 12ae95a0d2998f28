using System.Text;
using AgenteVendedor.Catalog;
using AgenteVendedor.Conversations;
using AgenteVendedor.Conversations.Offline;
using AgenteVendedor.Text;

namespace AgenteVendedor.Commerce;

/// <summary>
/// Answers a cart sent from the WhatsApp catalog, and the customer's yes or no to it, without any agent driver (the same in
/// offline and openai): the cart becomes ours, priced from our catalog, with what we cannot sell said (unknown or inactive
/// skus, stock short: what there is is taken); then the agent's own checkout asks for what it lacks or shows the summary
/// with the confirmation buttons; "sí" places it through the TenantGrain under the chat's order key.
/// </summary>
public static class CatalogOrders
{
    /// <summary>The reply, or null when this message is for the agent driver.</summary>
    public static async Task<AgentReply?> AnswerAsync(SalesTools tools, AgentSettings settings, CatalogCart? cart, string text)
    {
        var say = new Replies(settings);
        if (cart is not null)
        {
            return await TakeAsync(tools, say, settings, cart);
        }

        var state = tools.State;
        if (!state.CatalogCartPending || state.Awaiting != Awaiting.Confirmation || state.Cart.Count == 0)
        {
            return null;
        }

        var answer = YesOrNo(text);
        tools.CatalogCartPending(answer is not null);
        if (answer is null)
        {
            return null;
        }

        var turn = new Turn(tools, say, settings, CatalogReading.Empty, null);
        await turn.RunAsync(answer.Value ? new Act.Confirm() : new Act.Decline(), null);
        tools.CatalogCartPending(false);
        return turn.Reply();
    }

    private static async Task<AgentReply> TakeAsync(SalesTools tools, Replies say, AgentSettings settings, CatalogCart cart)
    {
        // The catalog cart is the whole order the customer wants now: it replaces what the chat held.
        tools.Cancel();
        var products = (await tools.ProductsBySkuAsync(cart.Lines.Select(l => l.Sku).ToList()))
            .ToDictionary(p => p.Sku, StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        foreach (var (sku, quantity) in cart.Lines)
        {
            if (!products.TryGetValue(sku, out var product) || !product.Active)
            {
                missing.Add($"- {sku}: no está en nuestro catálogo.");
                continue;
            }

            if (product.Stock <= 0)
            {
                missing.Add($"- {product.Name}: agotado.");
                continue;
            }

            var taken = Math.Min(quantity, product.Stock);
            await tools.SetQuantityAsync(product.Id, taken);
            if (taken < quantity)
            {
                missing.Add($"- {product.Name}: pediste {quantity} y solo quedan {taken}; te separo {taken}.");
            }
        }

        if (cart.Ignored > 0)
        {
            missing.Add($"- {cart.Ignored} línea(s) del pedido no se pudieron leer.");
        }

        var intro = new StringBuilder("Recibí tu pedido del catálogo.");
        if (missing.Count > 0)
        {
            intro.Append("\nNo pude incluir todo:\n").AppendJoin('\n', missing);
        }

        if (tools.State.Cart.Count == 0)
        {
            tools.Await(null);
            return new AgentReply(TextFit.Cut(intro.Append("\nNo quedó ningún producto en tu carrito. ¿Te ayudo a buscar algo?").ToString(), 4096),
                ChatTypes.Sale, []);
        }

        tools.CatalogCartPending(true);
        var turn = new Turn(tools, say, settings, CatalogReading.Empty, null);
        await turn.RunAsync(new Act.Checkout(), null);
        var reply = turn.Reply();
        // The customer sees the cart at our prices at once; the checkout's summary shows it again when it asks for the yes.
        if (tools.State.Awaiting != Awaiting.Confirmation)
        {
            intro.Append('\n').Append(say.CartText("Tu carrito con nuestros precios:", await tools.CartAsync()));
        }

        return reply with { Text = TextFit.Cut(intro.Append('\n').Append(reply.Text).ToString(), 4096) };
    }

    private static readonly HashSet<string> Yes = ["si", "si confirmar", "confirmar", "confirmo", "si confirmo", "dale", "ok", "de acuerdo"];

    private static readonly HashSet<string> No = ["no", "no gracias", "cancelar", "no confirmo"];

    /// <summary>The confirmation buttons' titles ("Sí, confirmar", "No") or a plain yes or no; anything else is null.</summary>
    internal static bool? YesOrNo(string text)
    {
        var words = new string(SpanishText.Fold(text).Select(c => char.IsLetter(c) ? char.ToLowerInvariant(c) : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var folded = string.Join(' ', words);
        return Yes.Contains(folded) ? true : No.Contains(folded) ? false : null;
    }
}
