using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgenteVendedor.Catalog;
using AgenteVendedor.Customers;
using AgenteVendedor.Retrieval;

namespace AgenteVendedor.Conversations;

/// <summary>
/// The offline driver: a deterministic Spanish intent and slot parser that calls the sales tools
/// and answers from templates filled only with catalog facts. No model, no network.
/// </summary>
public sealed partial class OfflineAgent : IAgentDriver
{
    public string Name => "offline";

    private static readonly HashSet<string> WantVerbs =
    [
        "quiero", "queremos", "dame", "deme", "denme", "mandame", "mandeme", "envieme", "enviame", "agrega", "agregame", "agregue",
        "anade", "anademe", "ponme", "pongame", "llevo", "llevare", "comprar", "compro", "vendeme", "regalame", "separame",
    ];

    private static readonly HashSet<string> NotProductWords =
    [
        "quiero", "queremos", "dame", "deme", "denme", "mandame", "mandeme", "envieme", "enviame", "agrega", "agregame", "agregue",
        "anade", "anademe", "ponme", "pongame", "llevo", "llevare", "comprar", "compro", "vendeme", "regalame", "separame",
        "ese", "esos", "esa", "esas", "este", "estos", "esta", "estas", "eso", "esto", "mas", "tambien", "bueno", "vale", "ok", "unidad",
        "unidades", "galon", "galones", "bulto", "bultos", "bolsa", "bolsas", "caja", "cajas", "paquete", "paquetes", "pieza",
        "piezas", "rollo", "rollos", "metro", "metros", "kilo", "kilos", "litro", "litros", "par", "pares", "porfa", "porfavor",
        "entonces", "ahora", "tengas", "tenga", "todos", "todas", "todo", "pedido", "orden", "carrito", "cantidad",
    ];

    private static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["un"] = 1, ["uno"] = 1, ["una"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5, ["seis"] = 6, ["siete"] = 7,
        ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["once"] = 11, ["doce"] = 12, ["quince"] = 15, ["veinte"] = 20,
        ["treinta"] = 30, ["cincuenta"] = 50, ["cien"] = 100,
    };

    private static readonly HashSet<string> Yes =
    [
        "si", "sii", "confirmo", "confirmado", "confirmar", "confirmalo", "confirma", "dale", "listo", "ok", "okay", "vale",
        "correcto", "claro", "perfecto", "hagale", "hazlo", "acepto", "bueno", "deacuerdo",
    ];

    public async Task<AgentReply> RespondAsync(SalesTools tools, string message, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var state = tools.State;
        var words = SpanishAnalyzer.Words(message).ToList();

        if (IsCancel(words))
        {
            tools.Cancel();
            return Say(settings, ChatTypes.Sale, "Listo, cancelé el pedido y vacié tu carrito. ¿Te ayudo con algo más?",
                "Listo, cancelé el pedido y vacié su carrito. ¿Le ayudo con algo más?");
        }

        if (words.Any(w => w is "asesor" or "humano" or "persona" or "vendedor" or "operador"))
        {
            tools.HandOff();
            return new AgentReply($"Te comunico con un asesor de {settings.EmpresaName}; en breve te responde una persona.", ChatTypes.General, []);
        }

        if (state.Awaiting is { } awaiting && await AnswerAwaitedAsync(tools, awaiting, message, words, settings) is { } answered)
        {
            return answered;
        }

        var wantsToConfirm = words.Any(w => w is "confirmo" or "confirmar" or "confirmalo" or "confirma" or "confirmado")
            || (state.Cart.Count > 0 && state.Offer is null && IsOnlyYes(words));
        if (wantsToConfirm && settings.Type != ChatTypes.Inventory)
        {
            return await CheckoutAsync(tools, settings);
        }

        if (state.Offer is { } offer && (IsOnlyYes(words) || words.Contains("tengas") || words.Contains("tenga") || words.Contains("hay")))
        {
            return await AddAsync(tools, settings, offer.ProductId, offer.Quantity);
        }

        if (words.Contains("carrito") || Phrase(words, "que llevo") || Phrase(words, "mi pedido") || Phrase(words, "cuanto va"))
        {
            return await ShowCartAsync(tools, settings);
        }

        if (words.Any(w => w is "quita" or "quitar" or "elimina" or "eliminar" or "saca" or "sacar" or "borra" or "borrar"))
        {
            return await RemoveAsync(tools, settings, words);
        }

        if (Phrase(words, "mas barato") || Phrase(words, "mas economico") || Phrase(words, "mas caro"))
        {
            return await PickByPriceAsync(tools, settings, cheapest: !Phrase(words, "mas caro"));
        }

        var content = ContentWords(words);
        var quantity = Quantity(words);
        var wantsToAdd = settings.Type != ChatTypes.Inventory
            && (words.Any(WantVerbs.Contains) || (quantity is not null && content.Count == 0) || (words.FirstOrDefault() == "y" && quantity is not null));
        if (wantsToAdd)
        {
            if (content.Count == 0)
            {
                var target = state.Offer?.ProductId ?? state.Focus;
                if (target is null)
                {
                    return Say(settings, ChatTypes.Sale, "¿Qué producto quieres? Cuéntame cuál y te digo precio y disponibilidad.",
                        "¿Qué producto desea? Indíqueme cuál y le informo precio y disponibilidad.");
                }

                var amount = quantity ?? (words.Contains("tengas") && state.Offer is not null ? state.Offer.Quantity : 1);
                return await AddAsync(tools, settings, target.Value, amount);
            }

            var found = await tools.SearchAsync(string.Join(' ', content));
            if (found.Products.Count == 0 || !found.Exact)
            {
                return NothingFound(settings, string.Join(' ', content), found);
            }

            return await AddAsync(tools, settings, found.Products[0].Id, quantity ?? 1);
        }

        if (content.Count == 0)
        {
            return Greeting(words, settings);
        }

        var (query, maxPrice) = PriceLimit(message);
        var results = await tools.SearchAsync(query, maxPrice);
        return results.Products.Count == 0 || !results.Exact
            ? NothingFound(settings, query, results)
            : ShowProducts(settings, results.Products, maxPrice);
    }

    private static async Task<AgentReply?> AnswerAwaitedAsync(SalesTools tools, string awaiting, string message, List<string> words, AgentSettings settings)
    {
        var state = tools.State;
        switch (awaiting)
        {
            case Awaiting.Name:
                var name = NamePrefix().Replace(message.Trim(), string.Empty).Trim(' ', '.', '!', ',');
                if (name.Length is < 2 or > 120)
                {
                    return Ask(tools, settings, Awaiting.Name, "¿A nombre de quién hacemos el pedido?", "¿A nombre de quién hacemos el pedido?");
                }

                tools.CaptureCustomer(name: name);
                return await CheckoutAsync(tools, settings);
            case Awaiting.Phone:
                var phone = PhoneNumbers.ToE164(message, settings.Culture.Name);
                if (phone is null)
                {
                    return Ask(tools, settings, Awaiting.Phone, "Ese número no parece un teléfono. Escríbelo con indicativo, por ejemplo +57 300 123 4567.",
                        "Ese número no parece un teléfono. Escríbalo con indicativo, por ejemplo +57 300 123 4567.");
                }

                tools.CaptureCustomer(phone: phone);
                return await CheckoutAsync(tools, settings);
            case Awaiting.Address:
                if (message.Trim().Length < 5)
                {
                    return Ask(tools, settings, Awaiting.Address, "¿Cuál es la dirección de entrega completa?", "¿Cuál es la dirección de entrega completa?");
                }

                tools.CaptureCustomer(address: message.Trim());
                return await CheckoutAsync(tools, settings);
            case Awaiting.Confirmation:
                state.Awaiting = null;
                if (words.Count > 0 && (IsOnlyYes(words) || words.Any(w => w is "confirmo" or "confirmar" or "confirmalo")))
                {
                    return await PlaceAsync(tools, settings);
                }

                if (words.FirstOrDefault() == "no")
                {
                    return Say(settings, ChatTypes.Sale, "De acuerdo, no lo confirmo. ¿Quieres cambiar algo del pedido?",
                        "De acuerdo, no lo confirmo. ¿Desea cambiar algo del pedido?");
                }

                return null;
            default:
                state.Awaiting = null;
                return null;
        }
    }

    private static async Task<AgentReply> CheckoutAsync(SalesTools tools, AgentSettings settings)
    {
        var state = tools.State;
        if (state.Cart.Count == 0)
        {
            state.Awaiting = null;
            return Say(settings, ChatTypes.Sale, "Tu carrito está vacío. ¿Qué producto buscas?", "Su carrito está vacío. ¿Qué producto busca?");
        }

        switch (tools.MissingCustomerData())
        {
            case Awaiting.Name:
                return Ask(tools, settings, Awaiting.Name, "Para confirmar tu pedido, ¿a nombre de quién lo hacemos?",
                    "Para confirmar su pedido, ¿a nombre de quién lo hacemos?");
            case Awaiting.Phone:
                return Ask(tools, settings, Awaiting.Phone, "¿A qué número de teléfono te contactamos?", "¿A qué número de teléfono lo contactamos?");
            case Awaiting.Address:
                return Ask(tools, settings, Awaiting.Address, "¿Cuál es la dirección de entrega?", "¿Cuál es la dirección de entrega?");
        }

        var cart = await tools.CartAsync();
        var text = CartText(settings.Formal ? "Su pedido:" : "Tu pedido:", cart, settings).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"A nombre de {state.CustomerName}, teléfono {state.CustomerPhone}, entrega en {state.CustomerAddress}.\n");
        text.Append(settings.Formal ? "¿Confirma el pedido? (sí/no)" : "¿Confirmas el pedido? (sí/no)");
        state.Awaiting = Awaiting.Confirmation;
        return new AgentReply(text.ToString(), ChatTypes.Sale, []);
    }

    private static async Task<AgentReply> PlaceAsync(SalesTools tools, AgentSettings settings)
    {
        var total = (await tools.CartAsync()).Total;
        var placed = await tools.ConfirmOrderAsync();
        if (placed.Value is { } order)
        {
            var number = order.Id.ToString("N")[^8..].ToUpperInvariant();
            return new AgentReply(
                $"¡Pedido confirmado! Número {number}, total {settings.Money(order.Total)}. "
                + $"{(settings.Formal ? "Lo" : "Te")} contactaremos al {tools.State.CustomerPhone} para la entrega. ¡Gracias por tu compra!",
                ChatTypes.Sale, [], order.Id);
        }

        if (placed.Problem?.Shortage is { } shortage && await tools.ProductAsync(shortage.ProductId) is { } product)
        {
            tools.State.Cart.RemoveAll(c => c.ProductId == product.Id);
            if (shortage.Available > 0)
            {
                tools.State.Offer = new CartItem { ProductId = product.Id, Quantity = shortage.Available };
            }

            return new AgentReply(shortage.Available > 0
                ? $"Mientras confirmábamos se vendieron unidades de {product.Name}: ahora quedan {shortage.Available} disponibles. ¿Quieres llevar las {shortage.Available}?"
                : $"Lo siento, {product.Name} se agotó mientras confirmábamos. Lo quité del carrito (antes sumaba {settings.Money(total)}).",
                ChatTypes.Sale, [product]);
        }

        return new AgentReply($"No pude confirmar el pedido: {placed.Problem?.Message}", ChatTypes.Sale, []);
    }

    private static async Task<AgentReply> AddAsync(SalesTools tools, AgentSettings settings, Guid productId, int quantity)
    {
        switch (await tools.AddToCartAsync(productId, quantity))
        {
            case SalesTools.Added added:
                var cart = await tools.CartAsync();
                return new AgentReply(
                    $"Agregué {added.Quantity} × {added.Product.Name} ({settings.Money(added.Product.Price)} c/u). "
                    + $"Tu carrito suma {settings.Money(cart.Total)}. "
                    + (settings.Formal ? "¿Desea algo más o confirmamos el pedido?" : "¿Quieres algo más o confirmamos el pedido?"),
                    ChatTypes.Sale, [added.Product]);
            case SalesTools.NotEnough { Available: 0 } none:
                return new AgentReply($"Lo siento, no nos quedan unidades de {none.Product.Name}. ¿Busco una alternativa?", ChatTypes.Sale, [none.Product]);
            case SalesTools.NotEnough some:
                return new AgentReply(
                    $"Solo tenemos {some.Available} unidad(es) de {some.Product.Name} ({settings.Money(some.Product.Price)} c/u). "
                    + (settings.Formal ? $"¿Desea llevar las {some.Available}?" : $"¿Quieres llevar las {some.Available}?"),
                    ChatTypes.Sale, [some.Product]);
            default:
                return Say(settings, ChatTypes.Sale, "Ese producto ya no está a la venta. ¿Busco otro?", "Ese producto ya no está a la venta. ¿Busco otro?");
        }
    }

    private static async Task<AgentReply> ShowCartAsync(SalesTools tools, AgentSettings settings)
    {
        var cart = await tools.CartAsync();
        if (cart.Items.Count == 0)
        {
            return Say(settings, ChatTypes.Context, "Tu carrito está vacío.", "Su carrito está vacío.");
        }

        return new AgentReply(CartText(settings.Formal ? "Su carrito:" : "Tu carrito:", cart, settings).ToString(), ChatTypes.Context, []);
    }

    private static async Task<AgentReply> RemoveAsync(SalesTools tools, AgentSettings settings, List<string> words)
    {
        var cart = await tools.CartAsync();
        var content = ContentWords(words).Where(w => w is not ("quita" or "quitar" or "elimina" or "eliminar" or "saca" or "sacar" or "borra" or "borrar")).ToList();
        var line = content.Count == 0
            ? cart.Items.FirstOrDefault(l => l.ProductId == tools.State.Focus) ?? cart.Items.LastOrDefault()
            : cart.Items.OrderByDescending(l => content.Count(c => SpanishAnalyzer.Terms(l.Name).Contains(c))).FirstOrDefault(l => content.Any(c => SpanishAnalyzer.Terms(l.Name).Contains(c)));
        if (line is null || !tools.RemoveFromCart(line.ProductId))
        {
            return Say(settings, ChatTypes.Sale, "No encontré ese producto en tu carrito.", "No encontré ese producto en su carrito.");
        }

        var after = await tools.CartAsync();
        return new AgentReply($"Quité {line.Name} del carrito. Ahora suma {settings.Money(after.Total)}.", ChatTypes.Sale, []);
    }

    private static async Task<AgentReply> PickByPriceAsync(SalesTools tools, AgentSettings settings, bool cheapest)
    {
        var shown = await tools.ShownAsync();
        if (shown.Count == 0)
        {
            return Say(settings, ChatTypes.Inventory, "¿De qué producto? Cuéntame qué buscas.", "¿De qué producto? Indíqueme qué busca.");
        }

        var pick = cheapest ? shown.MinBy(p => p.Price)! : shown.MaxBy(p => p.Price)!;
        tools.State.Focus = pick.Id;
        return new AgentReply(
            $"{(cheapest ? "El más económico" : "El de mayor precio")} es {pick.Name}: {settings.Money(pick.Price)} ({Stock(pick)}). "
            + (settings.Formal ? "¿Cuántas unidades desea?" : "¿Cuántas unidades quieres?"),
            ChatTypes.Inventory, [pick]);
    }

    private static AgentReply ShowProducts(AgentSettings settings, List<Product> products, decimal? maxPrice)
    {
        var text = new StringBuilder(products.Count == 1 ? "Tenemos esta opción" : $"Tenemos {products.Count} opciones");
        text.Append(maxPrice is null ? ":\n" : $" hasta {settings.Money(maxPrice.Value)}:\n");
        for (var i = 0; i < products.Count; i++)
        {
            var p = products[i];
            text.Append(CultureInfo.InvariantCulture, $"{i + 1}. {p.Name} — {settings.Money(p.Price)} ({Stock(p)})\n");
        }

        text.Append(settings.Formal ? "¿Cuántas unidades desea?" : "¿Cuántas unidades quieres?");
        return new AgentReply(text.ToString(), ChatTypes.Inventory, products);
    }

    private static AgentReply NothingFound(AgentSettings settings, string query, SalesTools.Found found) =>
        found.Products.Count == 0
            ? Say(settings, ChatTypes.Inventory, $"No encontré productos para «{query}». ¿Me lo describes de otra forma?",
                $"No encontré productos para «{query}». ¿Me lo describe de otra forma?")
            : new AgentReply(
                $"No encontré exactamente «{query}». Lo más parecido que tenemos:\n"
                + string.Join("\n", found.Products.Select((p, i) => $"{i + 1}. {p.Name} — {settings.Money(p.Price)} ({Stock(p)})")),
                ChatTypes.Inventory, found.Products);

    private static AgentReply Greeting(List<string> words, AgentSettings settings) =>
        words.Contains("gracias")
            ? new AgentReply("¡Con gusto! Aquí estoy si necesitas algo más.", ChatTypes.General, [])
            : new AgentReply(settings.Formal
                ? $"Buen día, le habla {settings.AgentName} de {settings.EmpresaName}. ¿Qué producto busca?"
                : $"¡Hola! Soy {settings.AgentName} de {settings.EmpresaName}. ¿Qué producto buscas?", ChatTypes.General, []);

    /// <summary>"Tu pedido:\n- 3 × Brocha: $20.700\nTotal: $20.700" — the cart's lines and total, priced now.</summary>
    private static StringBuilder CartText(string heading, CartView cart, AgentSettings settings)
    {
        var text = new StringBuilder(heading).Append('\n');
        foreach (var line in cart.Items)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {line.Quantity} × {line.Name}: {settings.Money(line.Subtotal)}\n");
        }

        return text.Append(CultureInfo.InvariantCulture, $"Total: {settings.Money(cart.Total)}");
    }

    private static string Stock(Product p) => p.Stock > 0 ? $"{p.Stock} disponibles" : "agotado";

    private static AgentReply Say(AgentSettings settings, string type, string informal, string formal) =>
        new(settings.Formal ? formal : informal, type, []);

    private static AgentReply Ask(SalesTools tools, AgentSettings settings, string awaiting, string informal, string formal)
    {
        tools.State.Awaiting = awaiting;
        return new AgentReply(settings.Formal ? formal : informal, ChatTypes.Sale, []);
    }

    private static bool IsCancel(List<string> words) =>
        words.Any(w => w.StartsWith("cancel", StringComparison.Ordinal)) || Phrase(words, "ya no quiero") || Phrase(words, "olvida el pedido");

    private static bool IsOnlyYes(List<string> words) =>
        words.Count > 0 && words.Count <= 4 && words.All(w => Yes.Contains(w) || w is "el" or "pedido" or "por" or "favor" or "de" or "acuerdo" or "asi" or "esta" or "bien");

    private static bool Phrase(List<string> words, string phrase) => $" {string.Join(' ', words)} ".Contains($" {phrase} ", StringComparison.Ordinal);

    private static int? Quantity(List<string> words)
    {
        for (var i = 0; i < words.Count; i++)
        {
            if (int.TryParse(words[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 10_000
                && (i + 1 >= words.Count || words[i + 1] is not ("gb" or "mb" or "w" or "v" or "mm" or "cm" or "m" or "kg" or "lb" or "libras" or "pulgadas")))
            {
                return n;
            }

            // "una brocha" counts as one only after a verb of wanting or a leading "y": "tengo una fuga" is no order.
            if (NumberWords.TryGetValue(words[i], out var word) && i > 0 && (WantVerbs.Contains(words[i - 1]) || words[i - 1] == "y"))
            {
                return word;
            }
        }

        return null;
    }

    private static List<string> ContentWords(List<string> words) =>
        SpanishAnalyzer.Terms(string.Join(' ', words.Where(w => !NotProductWords.Contains(w) && !NumberWords.ContainsKey(w) && !int.TryParse(w, out _))))
            .Where(t => t.Length > 1)
            .ToList();

    /// <summary>"hasta 500 mil", "menos de 200.000", "máximo 1,5 millones" → a price ceiling, removed from the query.</summary>
    private static (string Query, decimal? MaxPrice) PriceLimit(string message)
    {
        var match = PriceCeiling().Match(message);
        if (!match.Success)
        {
            return (message, null);
        }

        var digits = match.Groups["n"].Value.Replace(".", string.Empty, StringComparison.Ordinal).Replace(",", ".", StringComparison.Ordinal);
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return (message, null);
        }

        var unit = match.Groups["u"].Value.ToLowerInvariant();
        amount *= unit.StartsWith("mil", StringComparison.Ordinal) && unit.Length == 3 ? 1_000 : unit.StartsWith("mill", StringComparison.Ordinal) ? 1_000_000 : 1;
        return (message.Remove(match.Index, match.Length), amount);
    }

    [GeneratedRegex(@"(hasta|menos de|m[aá]ximo|por debajo de|no m[aá]s de)\s*\$?\s*(?<n>\d[\d.,]*)\s*(?<u>mil(lones|l[oó]n)?)?", RegexOptions.IgnoreCase)]
    private static partial Regex PriceCeiling();

    [GeneratedRegex(@"^(me llamo|mi nombre es|soy|a nombre de)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex NamePrefix();
}
