;; Bilinear affine resampling of 8-bit RGB with an optional colour matrix, one pixel at a time:
;; the same integer arithmetic as `bilinearRgb8` in resample.ts (16.16 fixed-point source
;; coordinates, 8-bit weights), the colour map in f64 in the same order, so the bytes are equal.
;; Regenerate resample-wasm.generated.ts after editing: `npm run build:wasm` in the package.
;;
;; bilinear(src, w, h, dst, W, H, rows, du, dv, f0, f1, f2, colour, m0..m8, b0..b2):
;;   rows holds (su, sv) per output row (i32 pairs): the source point of the row's first pixel;
;;   each next pixel adds (du, dv). Points outside [-1/2, w - 1/2] x [-1/2, h - 1/2] get the fill.
;;   With `colour` = 0 a channel is (sum + 32768) >> 16; else v = m . (r, g, b) + b (the 1/65536
;;   and the +1/2 folded in by the caller), written as min(trunc_sat(v), 255): trunc(clamp(v, 0,
;;   255)), what a JavaScript Uint8Array store of v <= 0 ? 0 : min(v, 255) gives (the saturating
;;   truncation gives 0 below 0, and integer compares cost less than f64 min/max, which must
;;   handle NaN and -0).
(module
  (memory (export "memory") 1)
  (func (export "bilinear")
    (param $src i32) (param $w i32) (param $h i32) (param $dst i32) (param $W i32) (param $H i32)
    (param $rows i32) (param $du i32) (param $dv i32)
    (param $f0 i32) (param $f1 i32) (param $f2 i32) (param $colour i32)
    (param $m0 f64) (param $m1 f64) (param $m2 f64) (param $m3 f64) (param $m4 f64)
    (param $m5 f64) (param $m6 f64) (param $m7 f64) (param $m8 f64)
    (param $b0 f64) (param $b1 f64) (param $b2 f64)
    (local $x i32) (local $y i32) (local $su i32) (local $sv i32) (local $o i32)
    (local $x0 i32) (local $y0 i32) (local $fx i32) (local $fy i32)
    (local $xa i32) (local $xb i32) (local $ra i32) (local $rb i32)
    (local $w00 i32) (local $w10 i32) (local $w01 i32) (local $w11 i32)
    (local $i00 i32) (local $i10 i32) (local $i01 i32) (local $i11 i32)
    (local $r i32) (local $g i32) (local $bl i32)
    (local $stride i32) (local $maxU i32) (local $maxV i32) (local $lastX i32) (local $lastY i32)
    (local $fr f64) (local $fg f64) (local $fb f64) (local $v f64) (local $t i32)
    (local.set $stride (i32.mul (local.get $w) (i32.const 3)))
    (local.set $maxU (i32.sub (i32.shl (local.get $w) (i32.const 16)) (i32.const 32768)))
    (local.set $maxV (i32.sub (i32.shl (local.get $h) (i32.const 16)) (i32.const 32768)))
    (local.set $lastX (i32.sub (local.get $w) (i32.const 1)))
    (local.set $lastY (i32.sub (local.get $h) (i32.const 1)))
    (local.set $o (local.get $dst))
    (local.set $y (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $y) (local.get $H)))
        (local.set $su (i32.load (i32.add (local.get $rows) (i32.shl (local.get $y) (i32.const 3)))))
        (local.set $sv
          (i32.load (i32.add (local.get $rows) (i32.add (i32.shl (local.get $y) (i32.const 3)) (i32.const 4)))))
        (local.set $x (i32.const 0))
        (block $pixelsDone
          (loop $pixel
            (br_if $pixelsDone (i32.ge_s (local.get $x) (local.get $W)))
            (if
              (i32.or
                (i32.or
                  (i32.lt_s (local.get $su) (i32.const -32768))
                  (i32.lt_s (local.get $sv) (i32.const -32768)))
                (i32.or
                  (i32.gt_s (local.get $su) (local.get $maxU))
                  (i32.gt_s (local.get $sv) (local.get $maxV))))
              (then
                (i32.store8 (local.get $o) (local.get $f0))
                (i32.store8 offset=1 (local.get $o) (local.get $f1))
                (i32.store8 offset=2 (local.get $o) (local.get $f2)))
              (else
                (local.set $x0 (i32.shr_s (local.get $su) (i32.const 16)))
                (local.set $y0 (i32.shr_s (local.get $sv) (i32.const 16)))
                (local.set $fx (i32.and (i32.shr_s (local.get $su) (i32.const 8)) (i32.const 255)))
                (local.set $fy (i32.and (i32.shr_s (local.get $sv) (i32.const 8)) (i32.const 255)))
                (local.set $xa
                  (i32.mul
                    (select (local.get $x0) (i32.const 0) (i32.gt_s (local.get $x0) (i32.const 0)))
                    (i32.const 3)))
                (local.set $xb
                  (i32.mul
                    (select (local.get $lastX) (i32.add (local.get $x0) (i32.const 1))
                      (i32.ge_s (local.get $x0) (local.get $lastX)))
                    (i32.const 3)))
                (local.set $ra
                  (i32.mul
                    (select (local.get $y0) (i32.const 0) (i32.gt_s (local.get $y0) (i32.const 0)))
                    (local.get $stride)))
                (local.set $rb
                  (i32.mul
                    (select (local.get $lastY) (i32.add (local.get $y0) (i32.const 1))
                      (i32.ge_s (local.get $y0) (local.get $lastY)))
                    (local.get $stride)))
                (local.set $w00
                  (i32.mul (i32.sub (i32.const 256) (local.get $fx)) (i32.sub (i32.const 256) (local.get $fy))))
                (local.set $w10 (i32.mul (local.get $fx) (i32.sub (i32.const 256) (local.get $fy))))
                (local.set $w01 (i32.mul (i32.sub (i32.const 256) (local.get $fx)) (local.get $fy)))
                (local.set $w11 (i32.mul (local.get $fx) (local.get $fy)))
                (local.set $i00 (i32.add (local.get $src) (i32.add (local.get $ra) (local.get $xa))))
                (local.set $i10 (i32.add (local.get $src) (i32.add (local.get $ra) (local.get $xb))))
                (local.set $i01 (i32.add (local.get $src) (i32.add (local.get $rb) (local.get $xa))))
                (local.set $i11 (i32.add (local.get $src) (i32.add (local.get $rb) (local.get $xb))))
                (local.set $r
                  (i32.add
                    (i32.add
                      (i32.mul (i32.load8_u (local.get $i00)) (local.get $w00))
                      (i32.mul (i32.load8_u (local.get $i10)) (local.get $w10)))
                    (i32.add
                      (i32.mul (i32.load8_u (local.get $i01)) (local.get $w01))
                      (i32.mul (i32.load8_u (local.get $i11)) (local.get $w11)))))
                (local.set $g
                  (i32.add
                    (i32.add
                      (i32.mul (i32.load8_u offset=1 (local.get $i00)) (local.get $w00))
                      (i32.mul (i32.load8_u offset=1 (local.get $i10)) (local.get $w10)))
                    (i32.add
                      (i32.mul (i32.load8_u offset=1 (local.get $i01)) (local.get $w01))
                      (i32.mul (i32.load8_u offset=1 (local.get $i11)) (local.get $w11)))))
                (local.set $bl
                  (i32.add
                    (i32.add
                      (i32.mul (i32.load8_u offset=2 (local.get $i00)) (local.get $w00))
                      (i32.mul (i32.load8_u offset=2 (local.get $i10)) (local.get $w10)))
                    (i32.add
                      (i32.mul (i32.load8_u offset=2 (local.get $i01)) (local.get $w01))
                      (i32.mul (i32.load8_u offset=2 (local.get $i11)) (local.get $w11)))))
                (if (local.get $colour)
                  (then
                    (local.set $fr (f64.convert_i32_s (local.get $r)))
                    (local.set $fg (f64.convert_i32_s (local.get $g)))
                    (local.set $fb (f64.convert_i32_s (local.get $bl)))
                    (local.set $v
                      (f64.add
                        (f64.add
                          (f64.add (f64.mul (local.get $m0) (local.get $fr)) (f64.mul (local.get $m1) (local.get $fg)))
                          (f64.mul (local.get $m2) (local.get $fb)))
                        (local.get $b0)))
                    (i32.store8 (local.get $o)
                      (select (i32.const 255) (local.tee $t (i32.trunc_sat_f64_u (local.get $v)))
                        (i32.gt_u (local.get $t) (i32.const 255))))
                    (local.set $v
                      (f64.add
                        (f64.add
                          (f64.add (f64.mul (local.get $m3) (local.get $fr)) (f64.mul (local.get $m4) (local.get $fg)))
                          (f64.mul (local.get $m5) (local.get $fb)))
                        (local.get $b1)))
                    (i32.store8 offset=1 (local.get $o)
                      (select (i32.const 255) (local.tee $t (i32.trunc_sat_f64_u (local.get $v)))
                        (i32.gt_u (local.get $t) (i32.const 255))))
                    (local.set $v
                      (f64.add
                        (f64.add
                          (f64.add (f64.mul (local.get $m6) (local.get $fr)) (f64.mul (local.get $m7) (local.get $fg)))
                          (f64.mul (local.get $m8) (local.get $fb)))
                        (local.get $b2)))
                    (i32.store8 offset=2 (local.get $o)
                      (select (i32.const 255) (local.tee $t (i32.trunc_sat_f64_u (local.get $v)))
                        (i32.gt_u (local.get $t) (i32.const 255)))))
                  (else
                    (i32.store8 (local.get $o)
                      (i32.shr_s (i32.add (local.get $r) (i32.const 32768)) (i32.const 16)))
                    (i32.store8 offset=1 (local.get $o)
                      (i32.shr_s (i32.add (local.get $g) (i32.const 32768)) (i32.const 16)))
                    (i32.store8 offset=2 (local.get $o)
                      (i32.shr_s (i32.add (local.get $bl) (i32.const 32768)) (i32.const 16)))))))
            (local.set $su (i32.add (local.get $su) (local.get $du)))
            (local.set $sv (i32.add (local.get $sv) (local.get $dv)))
            (local.set $o (i32.add (local.get $o) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $pixel)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))
)
