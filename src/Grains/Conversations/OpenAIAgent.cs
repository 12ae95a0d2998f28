using System.ComponentModel;
using System.Text;
using AgenteVendedor.Catalog;
using AgenteVendedor.Customers;
using AgenteVendedor.Text;
using Microsoft.Extensions.AI;

namespace AgenteVendedor.Conversations;

/// <summary>
/// The LLM driver: any <see cref="IChatClient"/> (OpenAI, or a compatible server such as Ollama or
/// vLLM by base URL) with function calling over the same sales tools the offline driver uses.
/// The model only words the answer; every product, price and stock figure comes from a tool.
/// The client is built once at start-up with function invocation (see SiloSetup.AddAgents); the
/// turn's timeout comes in through the cancellation token.
/// </summary>
public sealed class OpenAIAgent(IChatClient chat) : IAgentDriver
{
    private const int HistoryTurns = 12;

    /// <summary>Tool rounds one turn may take before the model must have answered.</summary>
    public const int MaxToolRounds = 6;

    // What the model may hand a tool as free text is bounded like what a customer may send.
    private const int MaxQueryLength = 200;

    public string Name => "openai";

    public async Task<AgentReply> RespondAsync(SalesTools tools, string message, AgentSettings settings, CancellationToken cancellationToken = default)
    {
        var turn = new TurnLog();
        var messages = new List<ChatMessage> { new(ChatRole.System, SystemPrompt(settings)) };
        foreach (var past in tools.State.Turns.TakeLast(HistoryTurns))
        {
            messages.Add(new ChatMessage(past.Role == "cliente" ? ChatRole.User : ChatRole.Assistant, past.Text));
        }

        if (tools.State.Turns.Count == 0 || tools.State.Turns[^1].Text != message)
        {
            messages.Add(new ChatMessage(ChatRole.User, message));
        }

        var response = await chat.GetResponseAsync(messages, new ChatOptions { Tools = Tools(tools, settings, turn) }, cancellationToken);
        if (response.Messages.LastOrDefault()?.Contents.OfType<FunctionCallContent>().Any() == true || string.IsNullOrWhiteSpace(response.Text))
        {
            // Out of tool rounds, or nothing to say: no answer is better than a half-done one.
            throw new AgentGaveNoAnswerException($"The model gave no answer within {MaxToolRounds} tool rounds.");
        }
        var type = settings.Type ?? (turn.Sold ? ChatTypes.Sale : turn.Products.Count > 0 ? ChatTypes.Inventory : ChatTypes.General);
        return new AgentReply(response.Text, type, turn.Products.DistinctBy(p => p.Id).ToList(), turn.OrderId);
    }

    private sealed class TurnLog
    {
        public List<Product> Products { get; } = [];

        public bool Sold { get; set; }

        public Guid? OrderId { get; set; }
    }

    private static string SystemPrompt(AgentSettings s)
    {
        var prompt = new StringBuilder();
        prompt.AppendLine($"Eres {s.AgentName}, el asistente de ventas de {s.EmpresaName}. Respondes en español, con tono {s.Tone}"
            + (s.Formal ? " y tratando de usted." : " y tuteando."));
        prompt.AppendLine("Reglas: usa solo productos, precios y existencias que devuelvan las herramientas; nunca inventes un producto, un precio ni una cantidad disponible.");
        prompt.AppendLine("Para vender: agrega al carrito con agregar_al_carrito; antes de confirmar_pedido pide nombre, teléfono y dirección si faltan (registrar_cliente) y muestra el resumen con el total.");
        prompt.AppendLine("Si confirmar_pedido responde estado 'pendiente', di que el pedido quedó recibido con sus productos separados y que el equipo de la tienda lo confirmará; no digas que ya está confirmado.");
        prompt.AppendLine($"Los precios están en {s.Currency}.");
        if (!string.IsNullOrWhiteSpace(s.Instructions))
        {
            prompt.AppendLine("Instrucciones de la empresa: " + s.Instructions);
        }

        AppendFaq(prompt, s.Questions);
        return prompt.ToString();
    }

    // Bounded whatever the settings hold: at most the FAQ's entries, each cut to its limits.
    private static void AppendFaq(StringBuilder prompt, IReadOnlyList<Tenancy.FaqEntry> faq)
    {
        if (faq.Count == 0)
        {
            return;
        }

        prompt.AppendLine("Preguntas frecuentes de la empresa. Si el cliente pregunta por uno de estos temas (envíos, pagos, horarios, garantías…), responde solo con lo que dicen estas respuestas, sin agregar ni inventar condiciones; si no está aquí, dilo y ofrece pasar a una persona:");
        foreach (var entry in faq.Take(Tenancy.FaqLimits.MaxEntries))
        {
            prompt.AppendLine("P: " + Cut(entry.Question, Tenancy.FaqLimits.MaxQuestion));
            prompt.AppendLine("R: " + Cut(entry.Answer, Tenancy.FaqLimits.MaxAnswer));
        }
    }

    private static string Cut(string text, int max) => TextFit.Cut(text.ReplaceLineEndings(" ").Trim(), max);

    private static List<AITool> Tools(SalesTools tools, AgentSettings settings, TurnLog turn)
    {
        object Card(Product p) => new { producto_id = p.Id, sku = p.Sku, nombre = p.Name, descripcion = p.Description, precio = p.Price, precio_texto = settings.Money(p.Price), stock = p.Stock };

        return
        [
            AIFunctionFactory.Create(
                [Description("Busca productos activos del catálogo por descripción en lenguaje natural.")]
                async ([Description("Lo que busca el cliente")] string consulta, [Description("Precio máximo, si el cliente lo dio")] decimal? precio_maximo = null,
                    CancellationToken cancellationToken = default) =>
                {
                    // A search only reads: the turn's timeout may stop waiting for it (an order is always waited for).
                    var found = await tools.SearchAsync(Text.TextFit.Cut(consulta, MaxQueryLength), precio_maximo, 5).WaitAsync(cancellationToken);
                    turn.Products.AddRange(found.Products);
                    return new { exactos = found.Exact, productos = found.Products.Select(Card).ToList() };
                }, "buscar_productos"),
            AIFunctionFactory.Create(
                [Description("Muestra un producto por su id.")]
                async (Guid producto_id) =>
                {
                    var product = await tools.ProductAsync(producto_id);
                    if (product is not null)
                    {
                        turn.Products.Add(product);
                    }

                    return product is null ? (object)new { error = "No existe ese producto." } : Card(product);
                }, "ver_producto"),
            AIFunctionFactory.Create(
                [Description("Agrega unidades de un producto al carrito si hay existencias.")]
                async (Guid producto_id, int cantidad) =>
                {
                    var result = await tools.AddToCartAsync(producto_id, cantidad);
                    turn.Sold = true;
                    return result switch
                    {
                        SalesTools.Added a => (object)new { agregado = true, cantidad = a.Quantity, producto = Card(a.Product), carrito = await tools.CartAsync() },
                        SalesTools.NotEnough n => new { agregado = false, disponible = n.Available, producto = Card(n.Product) },
                        _ => new { agregado = false, error = "El producto no está a la venta." },
                    };
                }, "agregar_al_carrito"),
            AIFunctionFactory.Create([Description("Muestra el carrito con precios actuales.")] async () => await tools.CartAsync(), "ver_carrito"),
            AIFunctionFactory.Create(
                [Description("Quita un producto del carrito.")]
                (Guid producto_id) => new { quitado = tools.RemoveFromCart(producto_id) }, "quitar_del_carrito"),
            AIFunctionFactory.Create(
                [Description("Guarda los datos del cliente para el pedido.")]
                (string? nombre = null, string? telefono = null, string? direccion = null) =>
                {
                    var phone = telefono is null ? null : PhoneNumbers.ToE164(telefono, settings.Culture.Name);
                    if (telefono is not null && phone is null)
                    {
                        return (object)new { error = "Ese teléfono no es válido." };
                    }

                    tools.CaptureCustomer(nombre, phone, direccion);
                    return new { guardado = true, falta = tools.MissingCustomerData() };
                }, "registrar_cliente"),
            AIFunctionFactory.Create(
                [Description("Confirma el pedido con el carrito actual. Requiere nombre, teléfono y dirección.")]
                async () =>
                {
                    if (tools.State.Cart.Count == 0)
                    {
                        return (object)new { confirmado = false, error = "El carrito está vacío." };
                    }

                    if (tools.MissingCustomerData() is { } missing)
                    {
                        return new { confirmado = false, falta = missing };
                    }

                    var order = await tools.ConfirmOrderAsync();
                    turn.Sold = true;
                    if (order.Value is { } placed)
                    {
                        turn.OrderId = placed.Id;
                        // estado pendiente: the order is taken, and the shop's staff confirm it (the empresa's setting).
                        return new { confirmado = true, pedido = placed.Id, estado = placed.Status, total = placed.Total, total_texto = settings.Money(placed.Total) };
                    }

                    return new { confirmado = false, error = order.Problem!.Message, disponible = order.Problem.Shortage?.Available };
                }, "confirmar_pedido"),
            AIFunctionFactory.Create([Description("Cancela el pedido y vacía el carrito.")] () =>
            {
                tools.Cancel();
                return new { cancelado = true };
            }, "cancelar_pedido"),
            AIFunctionFactory.Create([Description("Pasa la conversación a una persona del equipo.")] () =>
            {
                tools.HandOff();
                return new { transferido = true };
            }, "pasar_a_humano"),
        ];
    }
}

/// <summary>The model ended its turn without words for the customer (e.g. it kept calling tools).</summary>
public sealed class AgentGaveNoAnswerException(string message) : Exception(message);
