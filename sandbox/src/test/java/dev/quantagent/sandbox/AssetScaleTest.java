package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AssetScaleTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static AssetScale scale(String formula) {
        return AssetScale.of(SANDBOX.parse(formula).expr());
    }

    private static void assertFree(String formula) {
        AssetScale s = scale(formula);
        assertFalse(s.dependent(), formula + ": " + s.why());
        assertEquals("", s.why());
    }

    private static AssetScale assertDependent(String formula) {
        AssetScale s = scale(formula);
        assertTrue(s.dependent(), formula);
        return s;
    }

    @Test
    void aDifferenceOfPricesIsInPriceUnits() {
        AssetScale s = assertDependent("close - open");
        assertEquals(1, s.price());
        assertEquals(0, s.shares());
        assertEquals("its values are in price units", s.why());
    }

    @Test
    void ratiosOfLikeQuantitiesAreScaleFree() {
        assertFree("(close - open) / open");
        assertFree("(close - open) / (high - low) * volume / ts_mean(volume, 20)");
        assertFree("-ts_sum(returns, 5)");
    }

    @Test
    void volumeOverDollarVolumeIsInInversePriceUnits() {
        AssetScale s = assertDependent("volume / adv20");
        assertEquals(-1, s.price());
        assertEquals(0, s.shares());
        assertEquals("its values are in price^-1 units", s.why());
    }

    @Test
    void aCrossSectionalRankOfAPriceStillOrdersAssetsByPrice() {
        AssetScale s = assertDependent("rank(close)");
        assertEquals(0, s.price());
        assertEquals("rank(close) orders assets by a quantity in price units", s.why());
    }

    @Test
    void timeSeriesNormalisersRemoveEachAssetsOwnScale() {
        assertFree("ts_rank(close, 10)");
        assertFree("correlation(close, volume, 10)");
        assertFree("ts_zscore(volume, 20)");
        assertFree("ts_argmax(high, 5)");
    }

    @Test
    void aLogTurnsTheScaleIntoAnOffsetThatOnlyADifferenceRemoves() {
        assertEquals("its values carry the log of each asset's price level", assertDependent("log(close)").why());
        assertDependent("rank(log(volume))");
        assertFree("log(close) - log(open)");
        assertFree("delta(log(volume), 2)");
    }

    @Test
    void aNumberTimesALogLevelScalesItsOffset() {
        // log(close) - 0.5 log(high * low) = log(close / sqrt(high * low)): a ratio of prices
        assertFree("log(close) - 0.5 * log(high * low)");
        assertFree("log(close) - log(high * low) / 2");
        assertEquals("its values carry the log of each asset's price level",
                assertDependent("2 * log(close) - log(close)").why());
    }

    @Test
    void aComparisonWithAConstantThatIsNotAWrittenNumberIsJudgedWithoutFailing() {
        assertFree("ts_mean(close > open ? 1 : -1, 5) > 0");
        assertFree("(close > open ? 1 : -1) < 0.5");
    }

    @Test
    void comparingDollarVolumeWithSharesDependsOnPrice() {
        assertEquals("(adv20 < volume) compares a quantity in dollar-volume units with a quantity in share-volume "
                + "units", assertDependent("adv20 < volume ? 1 : -1").why());
    }

    @Test
    void aSignTestIsScaleFreeButAPriceThresholdIsNot() {
        assertFree("delta(close, 1) > 0");
        assertFree("sign(delta(close, 1))");
        assertTrue(assertDependent("close < 5").why().contains("with a fixed number"));
    }

    @Test
    void addingPricesToVolumesMixesUnits() {
        assertTrue(assertDependent("close + volume").why().contains("mixes a quantity in price units with a "
                + "quantity in share-volume units"));
    }

    @Test
    void theChangeOfARankedLevelIsScaleFreeButItsAverageIsNot() {
        assertFree("covariance(rank(close), rank(volume), 5)");
        assertFree("delta(rank(close), 1)");
        assertFree("delta(1 - rank(close), 1)");
        assertFree("delta(rank(close) * rank(open), 1)");
        assertFree("delta(ts_sum(rank(close), 5), 1)");
        assertFree("delta(sqrt(rank(close)), 1)");
        assertDependent("ts_mean(rank(close), 5)");
        assertDependent("delta((adv20 < volume) + rank(close), 1)");
    }

    @Test
    void columnsOfUnknownMeaningCountAsScaleFree() {
        assertFree("ts_mean(funding_rate, 8)");
    }

    @Test
    void everyAlpha158FeatureIsScaleFreeAsQlibDesignedThem() {
        for (PublishedFormulas.Formula f : PublishedFormulas.alpha158()) {
            assertFree(f.formula());
        }
    }

    @Test
    void alpha12OfThe101IsInPriceUnits() {
        AssetScale s = assertDependent(PublishedFormulas.alpha101().get(11).formula());
        assertEquals(1, s.price());
    }
}
