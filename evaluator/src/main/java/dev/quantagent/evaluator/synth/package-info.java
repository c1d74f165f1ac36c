/**
 * The embedded synthetic market: {@link dev.quantagent.evaluator.synth.SyntheticMarket} simulates a seeded,
 * documented multi-factor stock market (business-day calendar, sectors, fat tails, volatility clustering, bull and
 * bear regimes, consistent OHLC, volume, vwap, market cap) with a few weak alphas planted in it, so that factor mining
 * and its tests have realistic data with known answers and need no files or network.
 */
package dev.quantagent.evaluator.synth;
