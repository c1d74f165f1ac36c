package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;
import dev.quantagent.sandbox.FormulaException.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent parser for both dialects. It resolves every call against the {@link Operators} registry as it
 * goes (overloads are told apart by their arguments), checks windows and lags, and folds constant sub-expressions.
 * Limits on length, nodes and depth are checked before the work they would bound, so a hostile formula costs
 * microseconds.
 *
 * <p>Precedence, loosest first: {@code ?:} (right-assoc), {@code ||}, {@code &&}, {@code == !=},
 * {@code < <= > >=}, {@code + -}, {@code * /}, unary {@code - + !}, {@code ^} (right-assoc), primary.
 */
final class Parser {

    private enum T {
        NUMBER, IDENT, GROUP, LPAREN, RPAREN, COMMA, PLUS, MINUS, STAR, SLASH, CARET, LT, LE, GT, GE, EQ, NE, AND,
        OR, NOT, QUESTION, COLON, EOF
    }

    private final String src;
    private final Limits limits;
    private int p;          // scan position
    private T tok;          // current token
    private int tokStart;   // its offset
    private String text;    // identifier / group name
    private double number;  // number value
    private int depth;
    private int nodes;

    private Parser(String src, Limits limits) {
        this.src = src;
        this.limits = limits;
    }

    static Expr parse(String formula, Limits limits) {
        if (formula == null) {
            throw new FormulaException(Kind.SYNTAX, -1, "no formula given");
        }
        if (formula.length() > limits.maxFormulaLength()) {
            throw new FormulaException(Kind.LIMIT, limits.maxFormulaLength(), "formula is " + formula.length()
                    + " characters long; the limit is " + limits.maxFormulaLength());
        }
        if (formula.isBlank()) {
            throw new FormulaException(Kind.SYNTAX, 0, "formula is empty");
        }
        Parser parser = new Parser(formula, limits);
        parser.next();
        Expr e = parser.ternary();
        if (parser.tok != T.EOF) {
            throw parser.error(parser.tokStart, "unexpected " + parser.describe() + " after a complete expression");
        }
        return e;
    }

    // ---------------------------------------------------------------------------------------------- grammar

    private Expr ternary() {
        Expr c = binaryLevel(0);
        if (tok == T.QUESTION) {
            int at = tokStart;
            enter(at);
            next();
            Expr a = ternary();
            expect(T.COLON, "':' of the conditional 'c ? a : b'");
            Expr b = ternary();
            leave();
            return make(Operators.byName("if"), List.of(c, a, b), at);
        }
        return c;
    }

    private static final T[][] LEVELS = {
            {T.OR}, {T.AND}, {T.EQ, T.NE}, {T.LT, T.LE, T.GT, T.GE}, {T.PLUS, T.MINUS}, {T.STAR, T.SLASH}};
    private static final String[][] LEVEL_OPS = {
            {"or"}, {"and"}, {"eq", "ne"}, {"lt", "le", "gt", "ge"}, {"add", "sub"}, {"mul", "div"}};

    private Expr binaryLevel(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        Expr left = binaryLevel(level + 1);
        while (true) {
            int which = indexOf(LEVELS[level], tok);
            if (which < 0) {
                return left;
            }
            int at = tokStart;
            next();
            Expr right = binaryLevel(level + 1);
            left = make(Operators.byName(LEVEL_OPS[level][which]), List.of(left, right), at);
        }
    }

    private Expr unary() {
        if (tok == T.MINUS || tok == T.PLUS || tok == T.NOT) {
            T op = tok;
            int at = tokStart;
            enter(at);
            next();
            Expr operand = unary();
            leave();
            if (op == T.PLUS) {
                return operand;
            }
            return make(Operators.byName(op == T.MINUS ? "neg" : "not"), List.of(operand), at);
        }
        return power();
    }

    private Expr power() {
        Expr base = primary();
        if (tok == T.CARET) {
            int at = tokStart;
            enter(at);
            next();
            Expr exponent = unary(); // right-assoc, and x ^ -2 is allowed
            leave();
            return make(Operators.byName("pow"), List.of(base, exponent), at);
        }
        return base;
    }

    private Expr primary() {
        int at = tokStart;
        switch (tok) {
            case NUMBER -> {
                double v = number;
                next();
                countNode(at);
                return new Num(v, at);
            }
            case GROUP -> {
                String g = text;
                next();
                countNode(at);
                return new Group(g, at);
            }
            case IDENT -> {
                String name = text;
                next();
                if (tok == T.LPAREN) {
                    return call(name, at);
                }
                countNode(at);
                return new Field(name.startsWith("$") ? name.substring(1) : name, at);
            }
            case LPAREN -> {
                enter(at);
                next();
                Expr inner = ternary();
                expect(T.RPAREN, "')' to close the '(' at column " + (at + 1));
                leave();
                return inner;
            }
            default -> throw error(at, tok == T.EOF ? "formula ends where an operand was expected"
                    : "expected an operand (number, field or function call) but found " + describe());
        }
    }

    private Expr call(String name, int at) {
        if (name.startsWith("$")) {
            throw error(at, "'" + name + "' is a field and cannot be called");
        }
        List<Op> candidates = Operators.candidates(name);
        if (candidates.isEmpty()) {
            throw new FormulaException(Kind.UNKNOWN_OPERATOR, at, "unknown operator '" + name + "'"
                    + Suggest.didYouMean(name, Operators.names()) + "; see 'quantagent ops'");
        }
        enter(at);
        next(); // '('
        List<Expr> args = new ArrayList<>();
        if (tok != T.RPAREN) {
            args.add(ternary());
            while (tok == T.COMMA) {
                next();
                args.add(ternary());
            }
        }
        expect(T.RPAREN, "',' or ')' in the arguments of " + name);
        leave();
        return Resolver.resolve(name, candidates, args, at, limits, this::countNode);
    }

    private Expr make(Op op, List<Expr> args, int at) {
        return Resolver.resolve(op.name(), List.of(op), args, at, limits, this::countNode);
    }

    // ---------------------------------------------------------------------------------------------- limits

    private void enter(int at) {
        if (++depth > limits.maxDepth()) {
            throw new FormulaException(Kind.LIMIT, at, "formula is nested more than " + limits.maxDepth()
                    + " levels deep");
        }
    }

    private void leave() {
        depth--;
    }

    private void countNode(int at) {
        if (++nodes > limits.maxNodes()) {
            throw new FormulaException(Kind.LIMIT, at, "formula has more than " + limits.maxNodes() + " nodes");
        }
    }

    // ---------------------------------------------------------------------------------------------- lexer

    private void expect(T t, String what) {
        if (tok != t) {
            throw error(tokStart, "expected " + what + " but found " + describe());
        }
        next();
    }

    private String describe() {
        return switch (tok) {
            case EOF -> "the end of the formula";
            case NUMBER -> "number " + src.substring(tokStart, p);
            case IDENT, GROUP -> "'" + src.substring(tokStart, p) + "'";
            default -> "'" + src.substring(tokStart, p) + "'";
        };
    }

    private FormulaException error(int at, String detail) {
        return new FormulaException(Kind.SYNTAX, at, detail);
    }

    private void next() {
        int n = src.length();
        while (p < n && isSpace(src.charAt(p))) {
            p++;
        }
        tokStart = p;
        if (p >= n) {
            tok = T.EOF;
            return;
        }
        char c = src.charAt(p);
        if (isDigit(c) || (c == '.' && p + 1 < n && isDigit(src.charAt(p + 1)))) {
            lexNumber();
            return;
        }
        if (isIdentStart(c) || (c == '$' && p + 1 < n && isIdentStart(src.charAt(p + 1)))) {
            lexIdentifier();
            return;
        }
        p++;
        char d = p < n ? src.charAt(p) : '\0';
        switch (c) {
            case '(' -> tok = T.LPAREN;
            case ')' -> tok = T.RPAREN;
            case ',' -> tok = T.COMMA;
            case '+' -> tok = T.PLUS;
            case '-' -> tok = T.MINUS;
            case '*' -> tok = T.STAR;
            case '/' -> tok = T.SLASH;
            case '^' -> tok = T.CARET;
            case '?' -> tok = T.QUESTION;
            case ':' -> tok = T.COLON;
            case '<' -> tok = two(d, '=', T.LE, T.LT);
            case '>' -> tok = two(d, '=', T.GE, T.GT);
            case '!' -> tok = two(d, '=', T.NE, T.NOT);
            case '=' -> {
                if (d != '=') {
                    throw error(tokStart, "'=' is not an operator; write '==' to compare");
                }
                p++;
                tok = T.EQ;
            }
            case '&' -> tok = two(d, '&', T.AND, T.AND);
            case '|' -> tok = two(d, '|', T.OR, T.OR);
            default -> throw error(tokStart, "unexpected character " + describeChar(tokStart));
        }
    }

    private T two(char d, char second, T ifTwo, T ifOne) {
        if (d == second) {
            p++;
            return ifTwo;
        }
        return ifOne;
    }

    private void lexNumber() {
        int n = src.length();
        while (p < n && isDigit(src.charAt(p))) {
            p++;
        }
        if (p < n && src.charAt(p) == '.') {
            p++;
            while (p < n && isDigit(src.charAt(p))) {
                p++;
            }
        }
        if (p < n && (src.charAt(p) == 'e' || src.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < n && (src.charAt(q) == '+' || src.charAt(q) == '-')) {
                q++;
            }
            if (q < n && isDigit(src.charAt(q))) {
                p = q;
                while (p < n && isDigit(src.charAt(p))) {
                    p++;
                }
            }
        }
        if (p < n && (src.charAt(p) == '.' || isIdentStart(src.charAt(p)))) {
            throw error(tokStart, "malformed number '" + src.substring(tokStart, Math.min(n, p + 1)) + "'");
        }
        number = Double.parseDouble(src.substring(tokStart, p));
        if (Double.isInfinite(number)) {
            throw error(tokStart, "number " + src.substring(tokStart, p) + " is too large");
        }
        tok = T.NUMBER;
    }

    private void lexIdentifier() {
        int n = src.length();
        if (src.charAt(p) == '$') {
            p++;
        }
        while (p < n && isIdentPart(src.charAt(p))) {
            p++;
        }
        String word = src.substring(tokStart, p);
        if (p < n && src.charAt(p) == '.') {
            if (!word.equalsIgnoreCase("indclass")) {
                throw error(p, "'.' may only follow IndClass (as in IndClass.sector)");
            }
            int dot = p++;
            int start = p;
            while (p < n && isIdentPart(src.charAt(p))) {
                p++;
            }
            if (start == p || !isIdentStart(src.charAt(start))) {
                throw error(dot, "expected a group name after 'IndClass.', such as IndClass.sector");
            }
            text = src.substring(start, p).toLowerCase(Locale.ROOT);
            tok = T.GROUP;
            return;
        }
        text = word.toLowerCase(Locale.ROOT);
        tok = T.IDENT;
    }

    private String describeChar(int at) {
        int cp = src.codePointAt(at);
        String shown = Character.isISOControl(cp) || Character.isWhitespace(cp) ? "" : "'" + Character.toString(cp) + "' ";
        return shown + String.format(Locale.ROOT, "(U+%04X)", cp);
    }

    private static int indexOf(T[] ts, T t) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
